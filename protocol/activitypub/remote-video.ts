import type { Privacy } from '../video.js';
import { fromApDuration } from './duration.js';
import { AS_PUBLIC } from './paths.js';
import { PeerTubeVideoSchema } from './peertube-rules.js';

/** What we keep of a remote `Video`: enough to list it, and to play it from its instance. */
export interface RemoteVideo {
  url: string;
  uuid: string;
  title: string;
  description: string;
  durationSeconds: number | null;
  tags: string[];
  views: number;
  privacy: Extract<Privacy, 'public' | 'unlisted'>;
  publishedAt: Date;
  updatedAt: Date;
  /** The Group (channel) it is attributed to. */
  channelId: string;
  hls: string;
  thumbnail?: string;
  commentsEnabled: boolean;
}

const list = (value: unknown): unknown[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

const attributedOf = (entry: unknown, type: string): string | undefined =>
  typeof entry === 'object' && entry !== null && (entry as { type?: unknown }).type === type
    ? String((entry as { id: unknown }).id)
    : undefined;

/**
 * Read a remote `Video` (raw JSON, as its instance serves it) the way PeerTube would accept it
 * (`PeerTubeVideoSchema`), or say in words why not. Beyond PeerTube's rules we need a playable HLS
 * link, a Group to attribute it to, and a public or unlisted audience. Pure.
 */
export function readRemoteVideo(
  json: unknown,
): { ok: true; video: RemoteVideo } | { ok: false; reason: string } {
  const parsed = PeerTubeVideoSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${issue?.path.join('.') || 'object'}: ${issue?.message ?? 'invalid'}` };
  }
  const video = parsed.data;
  const hls = video.url.find(
    (u): u is { href: string } =>
      typeof u === 'object' &&
      u !== null &&
      (u as { mediaType?: unknown }).mediaType === 'application/x-mpegURL',
  );
  if (!hls) return { ok: false, reason: 'url: no application/x-mpegURL link to play' };
  const channelId = video.attributedTo.map((a) => attributedOf(a, 'Group')).find(Boolean);
  if (!channelId) return { ok: false, reason: 'attributedTo: no Group (channel)' };
  const to = list(video.to);
  const cc = list(video.cc);
  const privacy = to.includes(AS_PUBLIC) ? 'public' : cc.includes(AS_PUBLIC) ? 'unlisted' : undefined;
  if (!privacy) return { ok: false, reason: 'to/cc: neither public nor unlisted' };
  const description = typeof video.content === 'string' ? video.content : '';
  const icon = [...video.icon].sort((a, b) => b.width - a.width)[0];
  return {
    ok: true,
    video: {
      url: video.id,
      uuid: video.uuid,
      title: video.name,
      description,
      durationSeconds: fromApDuration(video.duration) ?? null,
      tags: video.tag
        .filter((t) => t.type === 'Hashtag')
        .map((t) => t.name)
        .slice(0, 5),
      views: video.views,
      privacy,
      publishedAt: new Date(video.published),
      updatedAt: new Date(video.updated),
      channelId,
      hls: hls.href,
      ...(icon ? { thumbnail: icon.url } : {}),
      commentsEnabled: (json as { commentsEnabled?: unknown }).commentsEnabled !== false,
    },
  };
}
