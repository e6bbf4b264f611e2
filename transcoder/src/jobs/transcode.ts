import path from 'node:path';
import { hlsKey, isPlaylist } from '../../../protocol/media.js';
import type { PublishInput } from '../../../protocol/runner.js';
import { MediaRejectedError } from '../media/errors.js';
import { probeMedia } from '../media/probe.js';
import { isWebCompatible, remuxToHls, type TranscodeResult, transcodeToHls } from '../media/transcode.js';
import { type JobContext, type JobHandler, JobRejectedError } from './types.js';

/** Every published file goes under the HLS folder of the video (`hlsKey`). */
export function toPublishInput(result: TranscodeResult): PublishInput {
  return {
    durationSeconds: result.durationSeconds,
    master: hlsKey(result.master),
    renditions: result.renditions.map((r) => ({
      name: r.name,
      ...(r.width ? { width: r.width } : {}),
      ...(r.height ? { height: r.height } : {}),
      bitrate: Math.max(1, Math.round(r.bitrate)),
      codecs: r.codecs,
      playlist: hlsKey(r.playlist),
    })),
    ...(result.thumbnail ? { thumbnail: hlsKey(result.thumbnail) } : {}),
    ...(result.storyboard
      ? { storyboard: { image: hlsKey(result.storyboard.image), vtt: hlsKey(result.storyboard.vtt) } }
      : {}),
  };
}

async function upload(ctx: JobContext<'transcode'>, dir: string, result: TranscodeResult): Promise<void> {
  // Playlists (and the storyboard VTT) last, so a reader never sees one naming a file not there yet.
  const files = [...result.files].sort((a, b) => Number(isPlaylist(a)) - Number(isPlaylist(b)));
  for (const file of files)
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
  const ladder = await transcodeToHls({
    input: source,
    outDir: path.join(dir, 'ladder'),
    probe,
    ...media,
    ...preset,
    onProgress: (percent) => ctx.reportProgress(Math.min(99, percent)),
  });
  await upload(ctx, path.join(dir, 'ladder'), ladder);
  const outcome = await client.publish(job, 'complete', toPublishInput(ladder));
  log.info({ outcome, renditions: ladder.renditions.length }, 'job complete');
}

/**
 * A video's source to its HLS ladder: fast first play (stream copy) when the source allows it,
 * then the full ladder, which `complete` publishes in its place.
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
