import path from 'node:path';
import { hlsKey } from '../../../protocol/media.js';
import { MediaRejectedError } from '../media/errors.js';
import { probeMedia } from '../media/probe.js';
import { isWebCompatible, remuxToHls, type TranscodeResult, transcodeToHls } from '../media/transcode.js';
import { ProgressivePublisher } from './progressive.js';
import { toPublishInput, uploadOrder } from './publish-input.js';
import { type JobContext, type JobHandler, JobRejectedError } from './types.js';

async function upload(ctx: JobContext<'transcode'>, dir: string, result: TranscodeResult): Promise<void> {
  for (const file of uploadOrder(result.files))
    await ctx.client.uploadFile(ctx.job, hlsKey(file), path.join(dir, file), ctx.signal);
}

async function transcode(ctx: JobContext<'transcode'>): Promise<void> {
  const { client, job, log, dir, signal } = ctx;
  const source = path.join(dir, 'source');
  await client.downloadSource(job, source, signal);
  const media = { ffmpegPath: ctx.media.ffmpegPath, ffprobePath: ctx.media.ffprobePath, signal };
  const probe = await probeMedia(source, media);
  const preset = {
    ...(ctx.media.preset ? { preset: ctx.media.preset } : {}),
    ...(ctx.media.encoder ? { encoder: ctx.media.encoder } : {}),
  };
  if (isWebCompatible(probe)) {
    const preview = await remuxToHls({ input: source, outDir: path.join(dir, 'preview'), probe, ...media });
    await upload(ctx, path.join(dir, 'preview'), preview);
    await client.publish(job, 'preview', toPublishInput(preview));
    log.info('fast first play published');
  }
  // A source that cannot be stream-copied plays from the ladder's first segments instead.
  const outDir = path.join(dir, 'ladder');
  const progressive = isWebCompatible(probe) ? undefined : new ProgressivePublisher(ctx, outDir, probe);
  const ladder = await transcodeToHls({
    input: source,
    outDir,
    probe,
    ...media,
    ...preset,
    ...(progressive ? { watcher: progressive, signal: AbortSignal.any([signal, progressive.signal]) } : {}),
    onProgress: (percent) => ctx.reportProgress(Math.min(99, percent)),
  });
  await upload(ctx, path.join(dir, 'ladder'), ladder);
  const outcome = await client.publish(job, 'complete', toPublishInput(ladder));
  log.info({ outcome, renditions: ladder.renditions.length }, 'job complete');
}

/**
 * A video's source to its HLS ladder: fast first play (stream copy) when the source allows it,
 * else progressive publish of the ladder as it encodes; then the full ladder, which `complete`
 * publishes in its place.
 */
export const runTranscodeJob: JobHandler<'transcode'> = async (ctx) => {
  try {
    await transcode(ctx);
  } catch (error) {
    // A bad upload will be just as bad on the next attempt: the uploader has to send another file.
    if (error instanceof MediaRejectedError) throw new JobRejectedError(error.message, { cause: error });
    throw error;
  }
};
