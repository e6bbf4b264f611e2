import { HLS_DIR, liveInitGenerationOf, liveMsnOf, videoObjectKey } from '../../../../protocol/media.js';
import type { ServiceContext } from '../context.js';

/** Where a new attempt of a video's live job continues; undefined when nothing was published yet. */
export interface LiveResumePoint {
  firstMediaSequence: number;
  firstInitGeneration: number;
}

/**
 * One past the highest msn and init generation this video's live has named, in this origin's
 * hub (parts, listed segments, preload hints) or in storage (segments and inits written by any
 * origin). Part and segment names are immutable and cached as such at the edge, so a re-leased
 * or restarted live job never starts again at 1.
 */
export async function liveResumePoint(
  ctx: ServiceContext,
  videoId: string,
): Promise<LiveResumePoint | undefined> {
  let msn = 0;
  let generation = -1;
  for (const rendition of ctx.liveHub.stream(videoId)?.renditions.values() ?? []) {
    msn = Math.max(msn, rendition.highest.msn);
    generation = Math.max(generation, rendition.highest.initGeneration);
  }
  for (const key of await ctx.storage.list(videoObjectKey(videoId, HLS_DIR))) {
    const name = key.slice(key.lastIndexOf('/') + 1);
    msn = Math.max(msn, liveMsnOf(name) ?? 0);
    generation = Math.max(generation, liveInitGenerationOf(name) ?? -1);
  }
  if (msn === 0 && generation < 0) return undefined;
  return { firstMediaSequence: msn + 1, firstInitGeneration: generation + 1 };
}
