import { and, inArray, isNull } from 'drizzle-orm';
import { liveSessions } from '../../../../db/schema/index.js';
import { type LiveStateInput, LiveStateInputSchema } from '../../../../protocol/live.js';
import {
  contentTypeOf,
  hlsFileKind,
  hlsKey,
  renditionFile,
  videoObjectKey,
} from '../../../../protocol/media.js';
import { JOB_KINDS } from '../../../../protocol/runner.js';
import { LeaseGoneError, ValidationError } from '../../lib/errors.js';
import type { ServiceContext } from '../context.js';
import { findLeasedJob, videoOf } from '../jobs/queue.js';

/** The video of the `live` job this runner holds the lease on; 409 for anyone else. */
async function liveVideoHeldBy(ctx: ServiceContext, jobId: string, runnerId: string): Promise<string> {
  const job = await findLeasedJob(ctx, jobId, runnerId);
  if (!job || job.kind !== JOB_KINDS.live)
    throw new LeaseGoneError('This runner does not hold this live job');
  return videoOf(job);
}

/**
 * One file from the live packager: a part stays in memory only (the live edge); an init segment
 * or a finished segment is also written to storage first (the DVR window and the recording).
 */
export async function pushLiveFile(
  ctx: ServiceContext,
  input: { jobId: string; runnerId: string; rendition: string; file: string; bytes: Uint8Array<ArrayBuffer> },
): Promise<void> {
  const kind = hlsFileKind(input.rendition, input.file);
  if (!kind || kind === 'playlist') {
    throw new ValidationError([{ path: 'file', message: 'Not an init segment, segment or part name' }]);
  }
  const videoId = await liveVideoHeldBy(ctx, input.jobId, input.runnerId);
  if (kind !== 'part') {
    const path = renditionFile(input.rendition, input.file);
    await ctx.storage.put(videoObjectKey(videoId, hlsKey(path)), input.bytes, {
      contentType: contentTypeOf(input.file),
      contentLength: input.bytes.byteLength,
    });
  }
  ctx.liveHub.putFile(videoId, input.rendition, kind, input.file, input.bytes);
}

/** The packager state of every rendition: playlists render from it, blocked reloads wake on it. */
export async function pushLiveState(
  ctx: ServiceContext,
  input: { jobId: string; runnerId: string; state: LiveStateInput },
): Promise<void> {
  const state = LiveStateInputSchema.parse(input.state);
  const videoId = await liveVideoHeldBy(ctx, input.jobId, input.runnerId);
  ctx.liveHub.putState(videoId, state);
}

/**
 * End the streams this origin holds whose session has ended, wherever it was ended (another
 * origin's sweep, for one). Run with the reconnect sweep.
 */
export async function endFinishedLiveStreams(ctx: ServiceContext): Promise<number> {
  const held = ctx.liveHub.videoIds().filter((id) => !ctx.liveHub.stream(id)?.ended);
  if (held.length === 0) return 0;
  const open = await ctx.db
    .select({ videoId: liveSessions.videoId })
    .from(liveSessions)
    .where(and(inArray(liveSessions.videoId, held), isNull(liveSessions.endedAt)));
  const stillOpen = new Set(open.map((row) => row.videoId));
  const finished = held.filter((id) => !stillOpen.has(id));
  for (const id of finished) ctx.liveHub.end(id);
  return finished.length;
}
