// The zod/mini twins of `peertube.ts` that the edge's pages read (docs/adr/0007-zod-mini-twins.md);
// `discover.test.ts` holds them to the JSON Schema of their originals.
import * as z from 'zod/mini';
import { ChannelMiniSchema } from './channels-mini.js';

const AvatarMiniSchema = z.object({
  width: z.int(),
  path: z.string(),
  fileUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Twin of `PeerTubeChannelSchema`. */
export const PeerTubeChannelMiniSchema = z
  .object({
    // Spread, not z.extend: extending would carry the twin's own `Channel` id along.
    ...ChannelMiniSchema.shape,
    name: z.string().check(z.describe('PeerTube name of handle')),
    url: z.string(),
    host: z.string(),
    avatars: z.array(AvatarMiniSchema),
    banners: z.array(AvatarMiniSchema),
    followingCount: z.int().check(z.minimum(0)),
    support: z.nullable(z.string()),
    isLocal: z.boolean(),
    updatedAt: z.iso.datetime(),
    ownerAccount: z.object({
      id: z.uuid(),
      name: z.string(),
      displayName: z.string(),
      url: z.string(),
      host: z.string(),
      avatars: z.array(AvatarMiniSchema),
    }),
  })
  .check(z.meta({ id: 'VideoChannel' }));
