import { and, asc, eq, gt } from 'drizzle-orm';
import { videoEvents, videos } from '../../../../db/schema/index.js';
import type { VideoProcessing } from '../../../../protocol/api/videos.js';
import type { ServiceContext } from '../context.js';
import { backgroundProcessing } from './processing.js';

export interface VideoStateEvent {
  id: number;
  state: string;
  error?: string;
  at: string;
}

/** State changes of a video after event `afterId`, oldest first. */
export async function listVideoEvents(
  ctx: ServiceContext,
  videoId: string,
  afterId: number,
): Promise<VideoStateEvent[]> {
  const rows = await ctx.db
    .select()
    .from(videoEvents)
    .where(and(eq(videoEvents.videoId, videoId), gt(videoEvents.id, afterId)))
    .orderBy(asc(videoEvents.id))
    .limit(100);
  return rows.map((row) => {
    const detail = row.detail as { error?: string };
    return {
      id: row.id,
      state: row.state,
      ...(detail.error ? { error: detail.error } : {}),
      at: row.createdAt.toISOString(),
    };
  });
}

export interface VideoStatus {
  state: string;
  progress: number;
  /** What a ready video still encodes in the background; null when nothing. */
  processing: VideoProcessing | null;
}

/** The live state and progress of a video, for progress events between state changes. */
export async function videoStatus(ctx: ServiceContext, videoId: string): Promise<VideoStatus | undefined> {
  const [row] = await ctx.db
    .select({ state: videos.state, progress: videos.progress })
    .from(videos)
    .where(eq(videos.id, videoId));
  if (!row) return undefined;
  const background = row.state === 'ready' ? await backgroundProcessing(ctx.db, [videoId]) : new Map();
  return { ...row, processing: background.get(videoId) ?? null };
}
