import type { Privacy } from '../video.js';
import { audienceFor } from './audience.js';
import { AP_CONTEXT } from './context.js';
import { toApDuration } from './duration.js';
import { AP_PATHS, absolute } from './paths.js';

/** One HLS rendition as listed in the `application/x-mpegURL` link's `tag`. */
export interface ApRendition {
  /** The rendition's folder name (`720p`). */
  name: string;
  /** Absolute URL of its media playlist. */
  href: string;
  width: number;
  height: number;
  /** Peak bits per second. */
  bandwidth: number;
}

export interface VideoObjectInput {
  /** `PUBLIC_URL` of the instance, e.g. `https://vidra.example`. */
  baseUrl: string;
  uuid: string;
  title: string;
  description: string;
  durationSeconds: number | null;
  tags: readonly string[];
  views: number;
  privacy: Privacy;
  publishedAt: Date;
  updatedAt: Date;
  accountName: string;
  channelHandle: string;
  commentsEnabled: boolean;
  isLive: boolean;
  /** PeerTube refuses a Video without an icon: callers pass the instance's placeholder when the video has none. */
  thumbnail: { url: string; width: number; height: number; mediaType: string };
  hls?: { masterUrl: string; renditions: readonly ApRendition[] } | undefined;
}

/**
 * A `Video` shaped like PeerTube's (`packages/models/src/activitypub/objects/video-object.ts`):
 * the HTML link first in `url` (Mastodon previews the first link), then the HLS master with its
 * renditions; attributed to the channel's owner and the channel; `to`/`cc` by privacy. Returns
 * undefined for a privacy that is never federated. Pure: tested on its exact output.
 */
export function buildVideoObject(input: VideoObjectInput) {
  const at = (path: string) => absolute(input.baseUrl, path);
  const channelUrl = at(AP_PATHS.channel(input.channelHandle));
  const audience = audienceFor(input.privacy, `${channelUrl}/followers`);
  if (!audience) return undefined;
  const id = at(AP_PATHS.video(input.uuid));
  const url: Record<string, unknown>[] = [{ type: 'Link', mediaType: 'text/html', href: id }];
  if (input.hls) {
    url.push({
      type: 'Link',
      mediaType: 'application/x-mpegURL',
      href: input.hls.masterUrl,
      tag: input.hls.renditions.map((r) => ({
        type: 'Link',
        name: r.name,
        mediaType: 'application/x-mpegURL',
        href: r.href,
        width: r.width,
        height: r.height,
        bandwidth: r.bandwidth,
      })),
    });
  }
  return {
    '@context': AP_CONTEXT,
    type: 'Video' as const,
    id,
    name: input.title,
    duration: toApDuration(input.durationSeconds),
    uuid: input.uuid,
    tag: input.tags.filter((t) => t.length >= 2 && t.length <= 30).map((name) => ({ type: 'Hashtag', name })),
    views: input.views,
    sensitive: false,
    waitTranscoding: false,
    isLiveBroadcast: input.isLive,
    state: 1,
    commentsEnabled: input.commentsEnabled,
    downloadEnabled: false,
    published: input.publishedAt.toISOString(),
    updated: input.updatedAt.toISOString(),
    mediaType: 'text/markdown',
    // PeerTube refuses content under 3 characters (an empty string included), so none is sent then.
    content: input.description.length >= 3 ? input.description.slice(0, 10_000) : null,
    icon: [{ type: 'Image', ...input.thumbnail }],
    url,
    likes: at(AP_PATHS.videoCollection(input.uuid, 'likes')),
    dislikes: at(AP_PATHS.videoCollection(input.uuid, 'dislikes')),
    shares: at(AP_PATHS.videoCollection(input.uuid, 'shares')),
    comments: at(AP_PATHS.videoCollection(input.uuid, 'comments')),
    attributedTo: [
      { type: 'Person', id: at(AP_PATHS.account(input.accountName)) },
      { type: 'Group', id: channelUrl },
    ],
    ...audience,
  };
}

export type VideoObject = NonNullable<ReturnType<typeof buildVideoObject>>;
