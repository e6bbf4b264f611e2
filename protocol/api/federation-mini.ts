// The zod/mini twins of `federation.ts` schemas the edge's pages read (federation health for the
// admin page, remote follows and remote media); `federation-mini.test.ts` holds them to the JSON
// Schema of their originals (docs/adr/0007-zod-mini-twins.md).
import * as z from 'zod/mini';

/** Twin of `FederationHostHealthSchema`. */
export const FederationHostHealthMiniSchema = z.object({
  host: z.string(),
  status: z.enum(['ok', 'retrying', 'failing']),
  pending: z.int(),
  retrying: z.int(),
  delivered: z.int(),
  failed: z.int(),
  gone: z.int(),
  lastError: z.nullable(z.string()),
  nextAttemptAt: z.nullable(z.string()),
  oldestPendingAt: z.nullable(z.string()),
});

/** Twin of `FederationHealthSchema`. */
export const FederationHealthMiniSchema = z.object({
  queue: z.object({ ready: z.int(), delayed: z.int() }),
  pending: z.int(),
  hosts: z.array(FederationHostHealthMiniSchema),
});
export type FederationHealthMini = z.output<typeof FederationHealthMiniSchema>;

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
