import { z } from 'zod';
import { PLAYLIST_PRIVACY_LEVELS, type PlaylistPrivacy } from '../playlist-enums.js';
import { isBlankLooking } from '../text.js';
import { PageQuerySchema, pageOf } from './list.js';
import { VideoSchema } from './videos.js';

/** PeerTube's numbers and labels for playlist privacy (ADR 0015: `{ id, label }` on the wire). */
export const PLAYLIST_PRIVACY_IDS: Record<PlaylistPrivacy, { id: 1 | 2 | 3; label: string }> = {
  public: { id: 1, label: 'Public' },
  unlisted: { id: 2, label: 'Unlisted' },
  private: { id: 3, label: 'Private' },
};
export const PLAYLIST_TYPE_IDS = {
  regular: { id: 1, label: 'Regular' },
  watch_later: { id: 2, label: 'Watch later' },
} as const;

/** PeerTube's number (1-3) or our name. */
export const PlaylistPrivacyInputSchema = z.union([
  z.enum(PLAYLIST_PRIVACY_LEVELS),
  z
    .union([z.literal(1), z.literal(2), z.literal(3), z.enum(['1', '2', '3'])])
    .transform((id) => PLAYLIST_PRIVACY_LEVELS[Number(id) - 1] as PlaylistPrivacy),
]);

const PlaylistNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(120)
  .refine((name) => name === '' || !isBlankLooking(name), 'Enter a name with visible characters');

export const CreatePlaylistInputSchema = z.object({
  displayName: PlaylistNameSchema,
  description: z.string().max(1000).default(''),
  privacy: PlaylistPrivacyInputSchema.default('private'),
});
export type CreatePlaylistInput = z.input<typeof CreatePlaylistInputSchema>;

export const UpdatePlaylistInputSchema = z
  .object({
    displayName: PlaylistNameSchema,
    description: z.string().max(1000),
    privacy: PlaylistPrivacyInputSchema,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');
export type UpdatePlaylistInput = z.input<typeof UpdatePlaylistInputSchema>;

const Timestamp = z.number().min(0).max(1e7).nullable();

export const AddPlaylistElementInputSchema = z.object({
  videoId: z.string().uuid('Send the id of a video'),
  startTimestamp: Timestamp.optional(),
  stopTimestamp: Timestamp.optional(),
});
export type AddPlaylistElementInput = z.input<typeof AddPlaylistElementInputSchema>;

export const UpdatePlaylistElementInputSchema = z
  .object({ startTimestamp: Timestamp, stopTimestamp: Timestamp })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change');
export type UpdatePlaylistElementInput = z.input<typeof UpdatePlaylistElementInputSchema>;

/** PeerTube's reorder: move `reorderLength` elements from `startPosition` to after `insertAfterPosition`. */
export const ReorderPlaylistInputSchema = z.object({
  startPosition: z.number().int().min(1),
  insertAfterPosition: z.number().int().min(0),
  reorderLength: z.number().int().min(1).default(1),
});
export type ReorderPlaylistInput = z.input<typeof ReorderPlaylistInputSchema>;

export const PlaylistSchema = z
  .object({
    id: z.string().uuid(),
    uuid: z.string().uuid().describe('The same as id (PeerTube clients read uuid)'),
    displayName: z.string(),
    description: z.string(),
    privacy: z.object({ id: z.number().int(), label: z.string() }),
    privacyName: z.enum(PLAYLIST_PRIVACY_LEVELS),
    type: z.object({ id: z.number().int(), label: z.string() }),
    videosLength: z.number().int().min(0).describe('Elements the caller may see'),
    isLocal: z.boolean(),
    url: z.string(),
    ownerAccount: z.object({ id: z.string().uuid(), name: z.string(), displayName: z.string() }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .meta({ id: 'VideoPlaylist' });
export type PlaylistDto = z.infer<typeof PlaylistSchema>;

/** `POST /api/v1/video-playlists`: PeerTube's `{ videoPlaylist: { id, uuid } }`, the whole playlist here. */
export const CreatedPlaylistSchema = z.object({ videoPlaylist: PlaylistSchema });

export const PlaylistPageSchema = pageOf(PlaylistSchema);
export type PlaylistPage = z.infer<typeof PlaylistPageSchema>;

export const PlaylistElementSchema = z
  .object({
    id: z.number().int().positive(),
    position: z.number().int().positive(),
    startTimestamp: z.number().nullable(),
    stopTimestamp: z.number().nullable(),
    video: VideoSchema,
  })
  .meta({ id: 'VideoPlaylistElement' });
export type PlaylistElementDto = z.infer<typeof PlaylistElementSchema>;

export const PlaylistElementPageSchema = pageOf(PlaylistElementSchema);
export type PlaylistElementPage = z.infer<typeof PlaylistElementPageSchema>;

export const AddedPlaylistElementSchema = z.object({
  videoPlaylistElement: z.object({ id: z.number().int().positive() }),
});

export const PlaylistListQuerySchema = PageQuerySchema;

/** `GET /api/v1/users/me/video-playlists/videos-exist?videoIds=`: PeerTube's, with our uuids. */
export const VideosExistQuerySchema = z.object({
  videoIds: z.union([z.string().uuid(), z.array(z.string().uuid()).min(1).max(50)]),
});

/** For each video asked about, where it is in the caller's playlists (an empty list when nowhere). */
export const VideosExistSchema = z.record(
  z.string().uuid(),
  z.array(
    z.object({
      playlistElementId: z.number().int().positive(),
      playlistId: z.string().uuid(),
      startTimestamp: z.number().nullable(),
      stopTimestamp: z.number().nullable(),
    }),
  ),
);
export type VideosExist = z.infer<typeof VideosExistSchema>;
