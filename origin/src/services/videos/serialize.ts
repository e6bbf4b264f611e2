import { asc, inArray } from 'drizzle-orm';
import { type channels, renditions, users, type videos } from '../../../../db/schema/index.js';
import type { VideoDto } from '../../../../protocol/api/videos.js';
import { COMMENTS_POLICY_IDS } from '../../../../protocol/comment-enums.js';
import { PEERTUBE_PRIVACY, PEERTUBE_UNKNOWN, peertubeImagePath } from '../../../../protocol/peertube.js';
import type { ServiceContext } from '../context.js';
import { ratingCounts } from '../reactions/counts.js';
import { backgroundProcessing, transcodeRetries } from './processing.js';

export type VideoRow = typeof videos.$inferSelect;
export type VideoWithChannel = { video: VideoRow; channel: typeof channels.$inferSelect };

/** Where this instance is reached, for PeerTube's absolute `url`s and `host`s. */
export function instanceBase(ctx: ServiceContext): { base: string; host: string } {
  const url = new URL(ctx.config.publicUrl ?? 'http://localhost');
  return { base: url.origin, host: url.host };
}

const TRUNCATED = 250;
/** PeerTube's `truncatedDescription`: 250 characters, the last three `...` when cut. */
const truncate = (text: string) => (text.length > TRUNCATED ? `${text.slice(0, TRUNCATED - 3)}...` : text);

/** Serialize videos, loading renditions, owners and background work in one query each. */
export async function toVideoDtos(ctx: ServiceContext, rows: VideoWithChannel[]): Promise<VideoDto[]> {
  const readyIds = rows.filter((r) => r.video.state === 'ready').map((r) => r.video.id);
  const ownerIds = [...new Set(rows.map((r) => r.channel.ownerId))];
  const retryable = rows.filter((r) => r.video.state !== 'deleted').map((r) => r.video.id);
  const [ladder, processing, retries, counts, owners] = await Promise.all([
    readyIds.length
      ? ctx.db
          .select()
          .from(renditions)
          .where(inArray(renditions.videoId, readyIds))
          .orderBy(asc(renditions.height), asc(renditions.bitrate))
      : [],
    backgroundProcessing(ctx.db, readyIds),
    transcodeRetries(ctx.db, retryable),
    ratingCounts(
      ctx.db,
      rows.map((r) => r.video.id),
    ),
    ownerIds.length
      ? ctx.db
          .select({ id: users.id, username: users.username })
          .from(users)
          .where(inArray(users.id, ownerIds))
      : [],
  ]);
  const usernames = new Map(owners.map((o) => [o.id, o.username]));
  const { base, host } = instanceBase(ctx);
  return rows.map(({ video, channel }) => {
    const owner = usernames.get(channel.ownerId) ?? 'unknown';
    const published = video.createdAt.toISOString();
    const dto: VideoDto = {
      id: video.id,
      uuid: video.id,
      shortUUID: video.id,
      url: `${base}/videos/watch/${video.id}`,
      name: video.title,
      channel: {
        id: channel.id,
        handle: channel.handle,
        displayName: channel.displayName,
        name: channel.handle,
        host,
        url: `${base}/video-channels/${channel.handle}`,
        avatars: [],
      },
      account: {
        id: channel.ownerId,
        name: owner,
        host,
        displayName: owner,
        url: `${base}/accounts/${owner}`,
        avatars: [],
      },
      title: video.title,
      description: video.description,
      truncatedDescription: truncate(video.description),
      privacy: { ...PEERTUBE_PRIVACY[video.privacy] },
      privacyName: video.privacy,
      category: { ...PEERTUBE_UNKNOWN },
      licence: { ...PEERTUBE_UNKNOWN },
      language: { ...PEERTUBE_UNKNOWN },
      nsfw: false,
      isLocal: true,
      commentsPolicy: { ...COMMENTS_POLICY_IDS[video.commentsPolicy] },
      commentsEnabled: video.commentsPolicy !== 'disabled',
      downloadEnabled: false,
      waitTranscoding: true,
      blacklisted: false,
      support: null,
      state: video.state,
      progress: video.progress,
      durationSeconds: video.durationSeconds,
      duration: Math.round(video.durationSeconds ?? 0),
      aspectRatio: null,
      isLive: video.state === 'live',
      likes: counts.get(video.id)?.likes ?? 0,
      dislikes: counts.get(video.id)?.dislikes ?? 0,
      tags: video.tags,
      views: video.views,
      viewers: 0,
      thumbnailPath: peertubeImagePath('thumbnail', video.id),
      previewPath: peertubeImagePath('preview', video.id),
      embedPath: `/videos/embed/${video.id}`,
      publishedAt: published,
      originallyPublishedAt: null,
      trackerUrls: [],
      files: [],
      // Signed URLs are the edge's to mint (docs/adr/0022-peertube-read-api.md).
      streamingPlaylists: [],
      createdAt: published,
      updatedAt: video.updatedAt.toISOString(),
    };
    // The hub is this origin's memory: another origin answers without health (docs/adr/0012-live-hub.md).
    if (video.state === 'live') {
      dto.live = ctx.liveHub.facts(video.id) ?? { viewers: 0, health: null };
      dto.viewers = dto.live.viewers;
    }
    const retry = retries.get(video.id);
    if (retry) dto.retries = retry;
    if (video.state === 'failed') dto.error = video.error ?? 'Processing failed for an unknown reason';
    if (video.state === 'ready') {
      const mine = ladder.filter((r) => r.videoId === video.id);
      dto.renditions = mine.map((r) => ({
        width: r.width,
        height: r.height,
        bitrate: r.bitrate,
        ...(r.codecs ? { codecs: r.codecs } : {}),
      }));
      const tallest = mine.at(-1);
      if (tallest) dto.aspectRatio = Math.round((tallest.width / tallest.height) * 10_000) / 10_000;
      const background = processing.get(video.id);
      if (background) dto.processing = background;
    }
    return dto;
  });
}

export async function toVideoDto(ctx: ServiceContext, row: VideoWithChannel): Promise<VideoDto> {
  const [dto] = await toVideoDtos(ctx, [row]);
  return dto as VideoDto;
}
