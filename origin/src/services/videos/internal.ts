import { and, desc, eq, isNull } from 'drizzle-orm';
import { liveSessions, users } from '../../../../db/schema/index.js';
import type { RevocationFeed, VideoAccessPolicy } from '../../../../protocol/api/internal.js';
import type { ServiceContext } from '../context.js';
import { listRevocations, revocationEpochs } from '../playback/revocations.js';
import { guessVideoPassword } from './password.js';
import { loadVideo } from './read.js';

/** What the edge needs to decide access and find a video's files; keys are relative to the video, as stored. */
export async function videoAccessPolicy(ctx: ServiceContext, id: string): Promise<VideoAccessPolicy> {
  const { video, channel } = await loadVideo(ctx, id);
  const assets = video.assets;
  const onAir = video.state === 'live';
  const [[owner], epochs, [session]] = await Promise.all([
    ctx.db.select({ suspendedAt: users.suspendedAt }).from(users).where(eq(users.id, channel.ownerId)),
    revocationEpochs(ctx.db, [video.id]),
    onAir
      ? ctx.db
          .select({ startedAt: liveSessions.startedAt })
          .from(liveSessions)
          .where(and(eq(liveSessions.videoId, video.id), isNull(liveSessions.endedAt)))
          .orderBy(desc(liveSessions.startedAt))
          .limit(1)
      : [],
  ]);
  return {
    id: video.id,
    privacy: video.privacy,
    ownerId: channel.ownerId,
    ownerSuspended: Boolean(owner?.suspendedAt),
    revocation: epochs.get(video.id) ?? 0,
    state: video.state,
    assets: assets
      ? {
          version: assets.version ?? video.updatedAt.getTime(),
          master: assets.master,
          ...(assets.thumbnail ? { thumbnail: assets.thumbnail } : {}),
          ...(assets.storyboardVtt ? { storyboardVtt: assets.storyboardVtt } : {}),
        }
      : null,
    // The state decides; the open session only dates it. One that just ended (the video moves to
    // `ended` in the same transaction) leaves the video's creation as a stable version.
    live: onAir ? { version: (session?.startedAt ?? video.createdAt).getTime() } : null,
  };
}

/** Check a video password for the edge, with the same brute-force throttle as the public API. */
export async function checkVideoPassword(
  ctx: ServiceContext,
  input: { id: string; password: string; ip: string },
): Promise<boolean> {
  const { video } = await loadVideo(ctx, input.id);
  return guessVideoPassword(ctx, { videoId: video.id, passwordHash: video.passwordHash, ...input });
}

/** The playback revocation feed the edge syncs, `limit` rows at a time. */
export function revocationFeed(
  ctx: ServiceContext,
  input: { after: number; limit: number },
): Promise<RevocationFeed> {
  return listRevocations(ctx.db, input);
}
