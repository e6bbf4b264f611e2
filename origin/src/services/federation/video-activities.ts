import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../../../db/client.js';
import { channels, renditions, users, videos } from '../../../../db/schema/index.js';
import { isFederated } from '../../../../protocol/activitypub/audience.js';
import { AP_PATHS, AS_PUBLIC, absolute } from '../../../../protocol/activitypub/paths.js';
import { type ApRendition, buildVideoObject } from '../../../../protocol/activitypub/video.js';
import { HLS_DIR } from '../../../../protocol/media.js';
import type { Privacy } from '../../../../protocol/video.js';
import { channelIdentifier, channelKey } from './actors.js';

/** Served for videos without a thumbnail, since PeerTube refuses a Video with no icon. */
export const PLACEHOLDER_THUMBNAIL = { path: '/static/video-placeholder.jpg', width: 320, height: 180 };

/** The sender (a channel) and the PeerTube-shaped Video of `videoId`, or undefined when gone. */
export async function videoObjectOf(db: Database, publicUrl: string, videoId: string) {
  const [row] = await db
    .select({ video: videos, channel: channels, owner: users.username })
    .from(videos)
    .innerJoin(channels, eq(channels.id, videos.channelId))
    .innerJoin(users, eq(users.id, channels.ownerId))
    .where(eq(videos.id, videoId));
  if (!row) return undefined;
  const { video, channel } = row;
  // Mirrors of remote videos are theirs to federate, never ours.
  if (video.remoteUrl) return undefined;
  const media = (file: string) => absolute(publicUrl, AP_PATHS.videoMedia(video.id, file));
  const ladder = await db
    .select()
    .from(renditions)
    .where(eq(renditions.videoId, video.id))
    .orderBy(asc(renditions.height), asc(renditions.bitrate));
  const rungs: ApRendition[] = ladder.flatMap((r) => {
    if (!r.playlistKey.startsWith(HLS_DIR)) return [];
    const file = r.playlistKey.slice(HLS_DIR.length);
    const name = file.split('/')[0] ?? file;
    return [{ name, href: media(file), width: r.width, height: r.height, bandwidth: r.bitrate }];
  });
  const master = video.assets?.master.startsWith(HLS_DIR)
    ? video.assets.master.slice(HLS_DIR.length)
    : undefined;
  const thumbnail = video.assets?.thumbnail?.startsWith(HLS_DIR)
    ? video.assets.thumbnail.slice(HLS_DIR.length)
    : undefined;
  const top = rungs.at(-1);
  const object = buildVideoObject({
    baseUrl: publicUrl,
    uuid: video.id,
    title: video.title,
    description: video.description,
    durationSeconds: video.durationSeconds,
    tags: video.tags,
    views: video.views,
    privacy: video.privacy,
    publishedAt: video.createdAt,
    updatedAt: video.updatedAt,
    accountName: row.owner,
    channelHandle: channel.handle,
    commentsEnabled: video.commentsPolicy !== 'disabled',
    isLive: video.state === 'live',
    // The thumbnail is a frame of the source, so it has the top rendition's shape.
    thumbnail:
      thumbnail && top
        ? { url: media(thumbnail), width: top.width, height: top.height, mediaType: 'image/jpeg' }
        : {
            url: absolute(publicUrl, PLACEHOLDER_THUMBNAIL.path),
            width: PLACEHOLDER_THUMBNAIL.width,
            height: PLACEHOLDER_THUMBNAIL.height,
            mediaType: 'image/jpeg',
          },
    hls: master && video.state !== 'live' ? { masterUrl: media(master), renditions: rungs } : undefined,
  });
  return {
    sender: { key: channelKey(channel.id), identifier: channelIdentifier(channel.handle) },
    actorUrl: absolute(publicUrl, AP_PATHS.channel(channel.handle)),
    videoUrl: absolute(publicUrl, AP_PATHS.video(video.id)),
    deleted: video.deletedAt !== null,
    object,
  };
}

type Loaded = NonNullable<Awaited<ReturnType<typeof videoObjectOf>>>;

/** `Create`/`Update` of the Video, or `Delete` of it, as PeerTube sends them. */
export function videoActivity(kind: 'Create' | 'Update' | 'Delete', loaded: Loaded, suffix: string) {
  const id = `${loaded.videoUrl}/activities/${kind.toLowerCase()}/${encodeURIComponent(suffix)}`;
  const followers = `${loaded.actorUrl}/followers`;
  if (kind === 'Delete') {
    return {
      '@context': 'https://www.w3.org/ns/activitystreams',
      type: 'Delete',
      id,
      actor: loaded.actorUrl,
      object: { type: 'Tombstone', id: loaded.videoUrl },
      to: [AS_PUBLIC],
      cc: [followers],
    };
  }
  if (!loaded.object) throw new Error('a video that is not federated has no Create or Update');
  const { '@context': context, ...object } = loaded.object;
  return {
    '@context': context,
    type: kind,
    id,
    actor: loaded.actorUrl,
    object,
    to: object.to,
    cc: object.cc,
  };
}

/** What a privacy change means to followers: new to them, changed, or to be removed. */
export function privacyChangeActivity(
  from: Privacy,
  to: Privacy,
): 'Create' | 'Update' | 'Delete' | undefined {
  if (isFederated(from) && !isFederated(to)) return 'Delete';
  if (!isFederated(from) && isFederated(to)) return 'Create';
  if (isFederated(to)) return 'Update';
  return undefined;
}
