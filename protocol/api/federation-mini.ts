// The zod/mini twins of the remote-content schemas of `federation.ts` that the edge's pages read
// (docs/adr/0007-zod-mini-twins.md); `federation-mini.test.ts` holds them to their originals.
import * as z from 'zod/mini';

/** Twin of `RemoteFollowSchema`. */
export const RemoteFollowMiniSchema = z.object({
  channelId: z.uuid(),
  handle: z.string(),
  displayName: z.string(),
  actorId: z.string(),
  state: z.enum(['pending', 'accepted', 'rejected']),
});
export const RemoteFollowListMiniSchema = z.object({ data: z.array(RemoteFollowMiniSchema) });

/** Twin of `RemoteVideoMediaSchema`. */
export const RemoteVideoMediaMiniSchema = z.object({
  url: z.string(),
  hls: z.string(),
  thumbnail: z.nullable(z.string()),
});
