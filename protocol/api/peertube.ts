import { z } from 'zod';
import { ChannelSchema } from './channels.js';
import { pageOf } from './list.js';

/**
 * PeerTube-shaped accounts, channels and instance facts (docs/adr/0022-peertube-read-api.md):
 * PeerTube's fields, Vidra's beside them (supersets, ADR 15). `id`s stay UUIDs.
 */

/** PeerTube's ActorImage (avatars, banners). Vidra has none yet: lists are empty. */
export const AvatarSchema = z.object({
  width: z.number().int(),
  path: z.string(),
  fileUrl: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** PeerTube's Account (`/api/v1/accounts/{name}`), plus `userId`. */
export const PeerTubeAccountSchema = z
  .object({
    id: z.string().uuid(),
    userId: z.string().uuid(),
    name: z.string(),
    displayName: z.string(),
    description: z.string(),
    url: z.string(),
    host: z.string(),
    avatars: z.array(AvatarSchema),
    followersCount: z.number().int().min(0),
    followingCount: z.number().int().min(0),
    hostRedundancyAllowed: z.boolean(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .meta({ id: 'Account' });
export type PeerTubeAccountDto = z.infer<typeof PeerTubeAccountSchema>;

/** The account summary PeerTube nests in channels and videos. */
const AccountSummarySchema = PeerTubeAccountSchema.pick({
  id: true,
  name: true,
  displayName: true,
  url: true,
  host: true,
  avatars: true,
});

/** PeerTube's VideoChannel (`/api/v1/video-channels/{handle}`), a superset of Vidra's channel. */
export const PeerTubeChannelSchema = ChannelSchema.extend({
  name: z.string().describe('PeerTube name of handle'),
  url: z.string(),
  host: z.string(),
  avatars: z.array(AvatarSchema),
  banners: z.array(AvatarSchema),
  followingCount: z.number().int().min(0),
  support: z.string().nullable(),
  isLocal: z.boolean(),
  updatedAt: z.string().datetime(),
  ownerAccount: AccountSummarySchema,
}).meta({ id: 'VideoChannel' });
export type PeerTubeChannelDto = z.infer<typeof PeerTubeChannelSchema>;
export const PeerTubeChannelPageSchema = pageOf(PeerTubeChannelSchema);

/** `GET /api/v1/config`: what clients read of PeerTube's ServerConfig. */
export const ServerConfigSchema = z.object({
  serverVersion: z.string(),
  serverCommit: z.string().nullable(),
  instance: z.object({
    name: z.string(),
    shortDescription: z.string(),
    isNSFW: z.boolean(),
    defaultNSFWPolicy: z.string(),
    defaultClientRoute: z.string(),
  }),
  signup: z.object({
    allowed: z.boolean(),
    allowedForCurrentIP: z.boolean(),
    requiresEmailVerification: z.boolean(),
  }),
  search: z.object({ remoteUri: z.object({ users: z.boolean(), anonymous: z.boolean() }) }),
  live: z.object({ enabled: z.boolean() }),
});

/** `GET /api/v1/config/about`. */
export const ServerAboutSchema = z.object({
  instance: z.object({
    name: z.string(),
    shortDescription: z.string(),
    description: z.string(),
    terms: z.string(),
    languages: z.array(z.string()),
    categories: z.array(z.number().int()),
  }),
});

/** `GET /api/v1/server/stats`: PeerTube's counters Vidra has. */
export const ServerStatsSchema = z.object({
  totalUsers: z.number().int(),
  totalLocalVideos: z.number().int(),
  totalLocalVideoViews: z.number().int(),
  totalLocalVideoComments: z.number().int(),
  totalLocalVideoFilesSize: z.number().int().describe('Bytes of the sources uploaded to this instance'),
  totalVideos: z.number().int(),
  totalVideoComments: z.number().int(),
  totalLocalVideoChannels: z.number().int(),
  totalLocalPlaylists: z.number().int(),
  totalInstanceFollowers: z.number().int(),
  totalInstanceFollowing: z.number().int(),
});
