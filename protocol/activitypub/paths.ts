/**
 * Where each ActivityPub object of this instance lives, relative to `PUBLIC_URL`. PeerTube's
 * spelling, so its ids (`/videos/watch/<uuid>`, `/video-channels/<name>`) are also the HTML pages;
 * the edge sends the ActivityPub media types on those paths to the origin (edge/src/federation/).
 */
export const AP_PATHS = {
  account: (username: string) => `/accounts/${encodeURIComponent(username)}`,
  channel: (handle: string) => `/video-channels/${encodeURIComponent(handle)}`,
  /** The instance actor (`Application`), which NodeInfo and PeerTube's follow of an instance use. */
  instance: () => '/accounts/vidra-instance',
  video: (uuid: string) => `/videos/watch/${uuid}`,
  comment: (videoUuid: string, commentId: number) => `/videos/watch/${videoUuid}/comments/${commentId}`,
  /**
   * A federated video's files (`master.m3u8`, `<rendition>/index.m3u8`, `thumbnail.jpg`): stable
   * URLs remote players open, which the edge answers with a redirect to a freshly signed playback
   * URL (edge/src/playback/federated.ts), public and unlisted videos only.
   */
  videoMedia: (uuid: string, file: string) => `/videos/watch/${uuid}/media/${file}`,
  videoCollection: (uuid: string, name: 'likes' | 'dislikes' | 'shares' | 'comments') =>
    `/videos/watch/${uuid}/${name}`,
  sharedInbox: () => '/inbox',
} as const;

/** The name the instance actor answers to in WebFinger (`acct:vidra-instance@host`). */
export const INSTANCE_ACTOR_NAME = 'vidra-instance';

/** The ActivityStreams public collection. */
export const AS_PUBLIC = 'https://www.w3.org/ns/activitystreams#Public';

/** Media types that ask for ActivityPub JSON rather than the HTML page. */
export const AP_MEDIA_TYPES = ['application/activity+json', 'application/ld+json'] as const;

/** Whether an `Accept` header asks for ActivityPub JSON (any of `AP_MEDIA_TYPES`, profile or not). */
export function acceptsActivityJson(accept: string | null | undefined): boolean {
  if (!accept) return false;
  return accept
    .toLowerCase()
    .split(',')
    .some((part) => {
      const type = part.split(';')[0]?.trim();
      return AP_MEDIA_TYPES.some((t) => t === type);
    });
}

/** The absolute URL of `path` on the instance at `base` (no trailing slash needed). */
export const absolute = (base: string, path: string): string => new URL(path, base).href;
