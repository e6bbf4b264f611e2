// The zod/mini twin of the response schemas in `channels.ts` that the edge's pages read (classic zod
// would add ~450 KB to the worker; the origin's OpenAPI routes cannot read mini schemas).
// `channels.test.ts` holds each twin to the JSON Schema of its original (docs/adr/0007-zod-mini-twins.md).
import * as z from 'zod/mini';

/** Twin of `ChannelSchema`: what `GET /api/v1/channels/:handle` and `POST /api/v1/channels` answer. */
export const ChannelMiniSchema = z
  .object({
    id: z.uuid(),
    handle: z.string(),
    displayName: z.string(),
    description: z.string(),
    ownerId: z.uuid(),
    followersCount: z.int().check(z.minimum(0), z.describe('Subscribers of the channel')),
    createdAt: z.iso.datetime(),
  })
  .check(z.meta({ id: 'Channel' }));

/** Twin of `ChannelListSchema`: what `GET /api/v1/users/me/channels` answers. */
export const ChannelListMiniSchema = z.object({ items: z.array(ChannelMiniSchema) });
