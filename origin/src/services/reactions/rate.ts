import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { videoRatingCounts, videoRatings } from '../../../../db/schema/index.js';
import {
  type RateVideoInput,
  RateVideoInputSchema,
  type VideoRatingDto,
  type VideoRatingValue,
} from '../../../../protocol/api/reactions.js';
import type { DomainEventType } from '../../../../protocol/events.js';
import type { Viewer } from '../../auth/access-tokens.js';
import type { ServiceContext } from '../context.js';
import { recordEvent } from '../outbox/record.js';
import { loadViewableVideo } from '../videos/read.js';

type Stored = Exclude<VideoRatingValue, 'none'>;
type RatingEventType = Extract<DomainEventType, `like.${string}` | `dislike.${string}`>;

/**
 * Set the caller's reaction to a video they may see. The user's rating row is locked first, so two
 * concurrent rates of one user serialise; the counters move by the difference with atomic
 * increments, so rates of many users never lose an update. A no-op changes nothing and records nothing.
 */
export async function rateVideo(
  ctx: ServiceContext,
  input: { viewer: Viewer; videoId: string; password?: string | undefined; ip: string; body: RateVideoInput },
): Promise<void> {
  const { rating } = RateVideoInputSchema.parse(input.body);
  const { video } = await loadViewableVideo(ctx, {
    id: input.videoId,
    viewer: input.viewer,
    ...passwordOf(input),
  });
  await ctx.db.transaction((tx) => setRating(tx, { userId: input.viewer.userId, video }, rating));
}

/**
 * One user's reaction to one video, in the caller's transaction: the counters move by the
 * difference and the matching events are recorded. Also the path of federated Likes and Dislikes,
 * whose users are remote accounts' stand-ins.
 */
export async function setRating(
  tx: Executor,
  target: { userId: string; video: { id: string; channelId: string } },
  rating: VideoRatingValue,
): Promise<void> {
  const { userId, video } = target;
  const ref = { videoId: video.id, channelId: video.channelId, userId };
  const before = await takeRating(tx, userId, video.id, rating);
  if (before === rating) return;
  const delta = (r: Stored) => (rating === r ? 1 : 0) - (before === r ? 1 : 0);
  await bumpCounts(tx, video.id, delta('like'), delta('dislike'));
  for (const type of ratingEvents(before, rating)) await recordEvent(tx, { type, payload: ref });
}

const passwordOf = (input: { password?: string | undefined; ip: string }) => ({
  password: input.password,
  ip: input.ip,
});

/**
 * Store `rating` as the user's reaction and return the one it replaced. An existing row is locked
 * (`FOR UPDATE`) before it is read, and a concurrent first insert of the same user waits on the
 * primary key, so the returned value is the one this transaction really replaced.
 */
async function takeRating(
  tx: Executor,
  userId: string,
  videoId: string,
  rating: VideoRatingValue,
): Promise<VideoRatingValue> {
  const key = and(eq(videoRatings.userId, userId), eq(videoRatings.videoId, videoId));
  if (rating !== 'none') {
    const inserted = await tx
      .insert(videoRatings)
      .values({ userId, videoId, rating })
      .onConflictDoNothing()
      .returning({ rating: videoRatings.rating });
    if (inserted.length) return 'none';
  }
  const [row] = await tx.select({ rating: videoRatings.rating }).from(videoRatings).where(key).for('update');
  const before = row?.rating ?? 'none';
  if (before === rating) return before;
  if (rating === 'none') await tx.delete(videoRatings).where(key);
  // The row a conflicting insert waited on was deleted by the same user meanwhile: insert it now.
  else if (!row) await tx.insert(videoRatings).values({ userId, videoId, rating });
  else await tx.update(videoRatings).set({ rating, updatedAt: new Date() }).where(key);
  return before;
}

async function bumpCounts(tx: Executor, videoId: string, likes: number, dislikes: number) {
  if (likes === 0 && dislikes === 0) return;
  await tx
    .insert(videoRatingCounts)
    .values({ videoId, likes: Math.max(0, likes), dislikes: Math.max(0, dislikes) })
    .onConflictDoUpdate({
      target: videoRatingCounts.videoId,
      set: {
        likes: sql`${videoRatingCounts.likes} + ${likes}`,
        dislikes: sql`${videoRatingCounts.dislikes} + ${dislikes}`,
      },
    });
}

/** The events a change of rating records: what was taken back, then what was given. */
export function ratingEvents(before: VideoRatingValue, after: VideoRatingValue): RatingEventType[] {
  if (before === after) return [];
  const events: RatingEventType[] = [];
  if (before === 'like') events.push('like.removed');
  if (before === 'dislike') events.push('dislike.removed');
  if (after === 'like') events.push('like.created');
  if (after === 'dislike') events.push('dislike.created');
  return events;
}

/** `GET /api/v1/users/me/videos/:id/rating`: the caller's reaction to a video they may see. */
export async function getMyRating(
  ctx: ServiceContext,
  input: { viewer: Viewer; videoId: string; password?: string | undefined; ip: string },
): Promise<VideoRatingDto> {
  const { video } = await loadViewableVideo(ctx, {
    id: input.videoId,
    viewer: input.viewer,
    ...passwordOf(input),
  });
  const [row] = await ctx.db
    .select({ rating: videoRatings.rating })
    .from(videoRatings)
    .where(and(eq(videoRatings.userId, input.viewer.userId), eq(videoRatings.videoId, video.id)));
  return { videoId: video.id, rating: row?.rating ?? 'none' };
}
