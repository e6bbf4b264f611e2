// The zod/mini twins of the search, playlist and history answers the edge's pages read (classic zod
// would add ~450 KB to the worker). `discover.test.ts` holds each twin to the JSON Schema of its
// original (docs/adr/0007-zod-mini-twins.md).
import * as z from 'zod/mini';
import { PLAYLIST_PRIVACY_LEVELS } from '../playlist-enums.js';
import { PeerTubeChannelMiniSchema } from './peertube-mini.js';
import { VideoMiniSchema } from './videos-mini.js';

/** Twin of `pageOf` (`list.ts`). */
export const pageOfMini = <T extends z.ZodMiniType>(item: T) =>
  z.object({
    total: z.int().check(z.minimum(0), z.describe('How many items the caller may see in the whole list')),
    data: z.array(item),
    nextCursor: z
      .nullable(z.string())
      .check(z.describe('Pass as `cursor` for the next page; null at the end')),
  });

/** Twin of `VideoSearchPageSchema`. */
export const VideoSearchPageMiniSchema = pageOfMini(VideoMiniSchema);
/** Twin of `ChannelSearchPageSchema`. */
export const ChannelSearchPageMiniSchema = pageOfMini(PeerTubeChannelMiniSchema);

const labelled = z.object({ id: z.int(), label: z.string() });

/** Twin of `PlaylistSchema`. */
export const PlaylistMiniSchema = z
  .object({
    id: z.uuid(),
    uuid: z.uuid().check(z.describe('The same as id (PeerTube clients read uuid)')),
    displayName: z.string(),
    description: z.string(),
    privacy: labelled,
    privacyName: z.enum(PLAYLIST_PRIVACY_LEVELS),
    type: labelled,
    videosLength: z.int().check(z.minimum(0), z.describe('Elements the caller may see')),
    isLocal: z.boolean(),
    url: z.string(),
    ownerAccount: z.object({ id: z.uuid(), name: z.string(), displayName: z.string() }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .check(z.meta({ id: 'VideoPlaylist' }));

/** Twin of `CreatedPlaylistSchema`. */
export const CreatedPlaylistMiniSchema = z.object({ videoPlaylist: PlaylistMiniSchema });

/** Twin of `PlaylistPageSchema`. */
export const PlaylistPageMiniSchema = pageOfMini(PlaylistMiniSchema);

/** Twin of `PlaylistElementSchema`. */
export const PlaylistElementMiniSchema = z
  .object({
    id: z.int().check(z.positive()),
    position: z.int().check(z.positive()),
    startTimestamp: z.nullable(z.number()),
    stopTimestamp: z.nullable(z.number()),
    video: VideoMiniSchema,
  })
  .check(z.meta({ id: 'VideoPlaylistElement' }));

/** Twin of `PlaylistElementPageSchema`. */
export const PlaylistElementPageMiniSchema = pageOfMini(PlaylistElementMiniSchema);

/** Twin of `AddedPlaylistElementSchema`. */
export const AddedPlaylistElementMiniSchema = z.object({
  videoPlaylistElement: z.object({ id: z.int().check(z.positive()) }),
});

/** Twin of `VideosExistSchema`. */
export const VideosExistMiniSchema = z.record(
  z.uuid(),
  z.array(
    z.object({
      playlistElementId: z.int().check(z.positive()),
      playlistId: z.uuid(),
      startTimestamp: z.nullable(z.number()),
      stopTimestamp: z.nullable(z.number()),
    }),
  ),
);

/** Twin of `HistoryVideoSchema`. */
export const HistoryVideoMiniSchema = z
  .object({
    ...VideoMiniSchema.shape,
    userHistory: z.object({ currentTime: z.number() }),
    watchedAt: z.iso.datetime(),
  })
  .check(z.meta({ id: 'HistoryVideo' }));

/** Twin of `HistoryPageSchema`. */
export const HistoryPageMiniSchema = z.extend(pageOfMini(HistoryVideoMiniSchema), {
  videosHistoryEnabled: z.boolean().check(z.describe('False while the user paused their history')),
});
