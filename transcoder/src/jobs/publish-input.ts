import { HLS_FILES, hlsKey, isPlaylist } from '../../../protocol/media.js';
import type { PublishInput } from '../../../protocol/runner.js';
import type { TranscodeResult } from '../media/transcode.js';

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

/**
 * The order a publish uploads its files in: media first, then the media playlists (and the
 * storyboard's VTT), and the master last, so that no reader ever gets a playlist naming a file
 * that is not stored yet (the origin refuses such a playlist anyway) and the new master appears
 * only once everything it leads to exists. Stable within each group.
 */
export function uploadOrder(files: readonly string[]): string[] {
  const rank = (file: string) => (file === HLS_FILES.master ? 2 : isPlaylist(file) ? 1 : 0);
  return [...files].sort((a, b) => rank(a) - rank(b));
}
