import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/stack.js';

/**
 * The recorded PeerTube responses (NewPipeExtractor's mocks) the contract tests read: copies of the
 * workplace's `shared/fixtures/peertube/` in `test/peertube/recorded/`, so a fresh clone anywhere
 * runs them; `PEERTUBE_FIXTURES` points elsewhere (e.g. the whole shared set).
 */
export const FIXTURES = path.resolve(ROOT, process.env.PEERTUBE_FIXTURES || 'test/peertube/recorded');

// biome-ignore lint/suspicious/noExplicitAny: recorded JSON is compared loosely, by shape
export function fixtureBody(name: string): any {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')).body;
}

/** JSON type of a value, as the contract compares it (`null` is its own type). */
export const jsonType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/**
 * The fields NewPipeExtractor's `services/peertube/**` reads, as dotted paths; `[]` reads the first
 * item of an array. Grayjay's are in `GRAYJAY_FIELDS`.
 */
export const CLIENT_FIELDS = {
  videoItem: [
    'uuid',
    'name',
    'duration',
    'views',
    'isLive',
    'publishedAt',
    'thumbnailPath',
    'previewPath',
    'nsfw',
    'url',
    'description',
    'account.name',
    'account.host',
    'account.displayName',
    'account.avatars',
    'channel.name',
    'channel.displayName',
    'channel.url',
    'channel.avatars',
  ],
  videoDetail: [
    'likes',
    'dislikes',
    'tags',
    'privacy.id',
    'privacy.label',
    'category.label',
    'licence.label',
    'language.id',
    'support',
    'files',
    'streamingPlaylists',
    'streamingPlaylists[].playlistUrl',
    'streamingPlaylists[].files[].fileUrl',
    'streamingPlaylists[].files[].fileDownloadUrl',
    'streamingPlaylists[].files[].torrentUrl',
    'streamingPlaylists[].files[].resolution.id',
    'streamingPlaylists[].files[].resolution.label',
    'streamingPlaylists[].files[].width',
    'streamingPlaylists[].files[].height',
  ],
  channel: [
    'name',
    'displayName',
    'description',
    'url',
    'host',
    'avatars',
    'banners',
    'followersCount',
    'ownerAccount.name',
    'ownerAccount.host',
  ],
  account: ['name', 'displayName', 'description', 'url', 'host', 'avatars', 'followersCount'],
  comment: [
    'id',
    'text',
    'threadId',
    'inReplyToCommentId',
    'createdAt',
    'isDeleted',
    'totalReplies',
    'totalRepliesFromVideoAuthor',
    'account.name',
    'account.host',
    'account.displayName',
    'account.url',
    'account.avatars',
  ],
} as const;

/**
 * The fields the Grayjay PeerTube plugin (`futo-org/grayjay-plugin-peertube`, `PeerTubeScript.js`)
 * reads from each endpoint, read off its source (fields it only reads behind `??` fallbacks for
 * older PeerTube versions, and live-chat `pluginData`, are left out).
 */
export const GRAYJAY_FIELDS = {
  /** `GET /api/v1/config`: the version gates `best`/`-trending` sorts and full descriptions. */
  config: ['serverVersion', 'signup.allowed'],
  /** `GET /api/v1/config/about` (instance info text). */
  about: ['instance.name', 'instance.categories'],
  /** `GET /api/v1/server/stats` (instance info text). */
  stats: [
    'totalLocalVideos',
    'totalLocalVideoViews',
    'totalUsers',
    'totalLocalVideoComments',
    'totalLocalVideoFilesSize',
    'totalInstanceFollowers',
    'totalInstanceFollowing',
  ],
  /** Every `{ total, data }` page it reads (videos, search, channels, comment threads). */
  page: ['total', 'data'],
  /** Items of `/videos`, `/search/videos`, `/video-channels/{handle}/videos`. */
  videoItem: [
    'uuid',
    'name',
    'url',
    'thumbnailPath',
    'publishedAt',
    'duration',
    'views',
    'isLive',
    'nsfw',
    'channel.name',
    'channel.displayName',
    'channel.url',
    'channel.avatars',
    'account.avatars',
  ],
  /** `GET /api/v1/videos/{uuid}`: the item's fields plus these. */
  videoDetail: [
    'description',
    'likes',
    'dislikes',
    'isLocal',
    'files',
    'streamingPlaylists',
    'streamingPlaylists[].playlistUrl',
  ],
  /** `GET /api/v1/video-channels/{handle}`. */
  channel: [
    'name',
    'displayName',
    'url',
    'description',
    'followersCount',
    'avatars',
    'banners',
    'ownerAccount.avatars',
  ],
  /** Items of `/search/video-channels`. */
  channelItem: ['name', 'displayName', 'url', 'avatars', 'followersCount'],
  /** Items of `/comment-threads`, and `children[].comment` of `/comment-threads/{id}`. */
  comment: [
    'id',
    'text',
    'createdAt',
    'isDeleted',
    'totalReplies',
    'account.name',
    'account.displayName',
    'account.avatars',
  ],
  /** `GET /api/v1/videos/{uuid}/comment-threads/{id}`. */
  thread: ['children', 'children[].comment'],
  /** `GET /api/v1/videos/{uuid}/captions` (items: `fileUrl`/`captionPath`, `language.id`). */
  captions: ['total', 'data'],
  /** `GET /api/v1/videos/{uuid}/chapters` (items: `title`, `timecode`). */
  chapters: ['chapters'],
} as const;

/**
 * The path shapes Grayjay takes for a PeerTube video or channel URL (its `isContentDetailsUrl`,
 * `isChannelUrl`, `extractVideoId`, `extractChannelId`), written down here as our own patterns.
 */
export const GRAYJAY_URL_SHAPES = {
  video: /^\/(?:videos\/(?:watch|embed)|w|api\/v1\/videos)\/[a-zA-Z0-9_-]+$/,
  channel: /^\/(?:c|video-channels|api\/v1\/video-channels)\/[a-zA-Z0-9_.-]+(?:\/videos?)?\/?$/,
} as const;

/** The value at a dotted path (`a.b`, `a[].b` for the first item of `a`), undefined when absent. */
export function at(value: unknown, dotted: string): unknown {
  let current: unknown = value;
  for (const part of dotted.split('.')) {
    const array = part.endsWith('[]');
    const key = array ? part.slice(0, -2) : part;
    if (current === null || typeof current !== 'object' || !(key in current)) return undefined;
    current = (current as Record<string, unknown>)[key];
    if (array) current = Array.isArray(current) ? current[0] : undefined;
  }
  return current;
}

/**
 * The contract: every field a client reads is present in ours with the JSON type PeerTube's
 * recording has (`nullable` fields may be null on either side). Answers the mismatches.
 */
export function contractMismatches(
  ours: unknown,
  recorded: unknown,
  fields: readonly string[],
  nullable: readonly string[] = [],
) {
  const problems: string[] = [];
  for (const field of fields) {
    const mine = at(ours, field);
    const theirs = at(recorded, field);
    if (mine === undefined) problems.push(`${field}: missing`);
    else if (theirs !== undefined && jsonType(mine) !== jsonType(theirs)) {
      const nulls = nullable.includes(field) && (mine === null || theirs === null);
      if (!nulls) problems.push(`${field}: ${jsonType(mine)}, PeerTube sends ${jsonType(theirs)}`);
    }
  }
  return problems;
}
