import { eq } from 'drizzle-orm';
import type { Executor } from '../../../../db/client.js';
import { videoEvents, videos } from '../../../../db/schema/index.js';
import { canTransition, type VideoState } from '../../../../protocol/video.js';
import { notifyVideoChanged } from './changes.js';

export interface TransitionDetail {
  /** Required when moving to `failed`: why, in words a person can read. */
  error?: string;
  progress?: number;
  durationSeconds?: number;
}

/**
 * Move a video along its state machine and record the event. Returns false, changing nothing,
 * when the move is not allowed from the current state (for example a late duplicate completion),
 * so callers stay idempotent. Run inside a transaction: the row is locked while deciding.
 */
export async function transitionVideo(
  tx: Executor,
  videoId: string,
  to: VideoState,
  detail: TransitionDetail = {},
): Promise<boolean> {
  const [current] = await tx
    .select({ state: videos.state })
    .from(videos)
    .where(eq(videos.id, videoId))
    .for('update');
  if (!current || !canTransition(current.state, to)) return false;
  await tx
    .update(videos)
    .set({
      state: to,
      error: to === 'failed' ? (detail.error ?? 'Processing failed') : null,
      ...(detail.progress !== undefined ? { progress: detail.progress } : {}),
      ...(detail.durationSeconds !== undefined ? { durationSeconds: detail.durationSeconds } : {}),
      updatedAt: new Date(),
    })
    .where(eq(videos.id, videoId));
  await tx.insert(videoEvents).values({
    videoId,
    state: to,
    detail: { from: current.state, ...(detail.error ? { error: detail.error } : {}) },
  });
  await notifyVideoChanged(tx, videoId);
  return true;
}

/** Record progress (0-100) without a state change. */
export async function setVideoProgress(tx: Executor, videoId: string, progress: number): Promise<void> {
  const clamped = Math.max(0, Math.min(100, Math.round(progress)));
  await tx.update(videos).set({ progress: clamped, updatedAt: new Date() }).where(eq(videos.id, videoId));
  await notifyVideoChanged(tx, videoId);
}
