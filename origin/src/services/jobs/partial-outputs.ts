import { playlistReferences } from '../../../../protocol/hls.js';
import { HLS_DIR, HLS_FILES, hlsKey, videoObjectKey } from '../../../../protocol/media.js';
import type { Storage } from '../../storage/types.js';

/**
 * After a failed transcode attempt, remove what it uploaded and nobody can reach: every rendition
 * folder the stored master does not name (a ladder that died half-uploaded next to a playing
 * fast-first-play rendition), or the whole HLS folder when no master is stored (nothing was ever
 * published). What the stored master names stays: viewers may be playing it, including a
 * progressive ladder's growing playlists. Returns how many objects went. Callers hold the job's
 * row lock, so no other attempt uploads meanwhile.
 */
export async function removePartialOutputs(storage: Storage, videoId: string): Promise<number> {
  const hls = videoObjectKey(videoId, HLS_DIR);
  const stored = await storage.list(hls);
  if (stored.length === 0) return 0;
  const master = await storage.get(videoObjectKey(videoId, hlsKey(HLS_FILES.master)));
  if (!master) return storage.deletePrefix(hls);
  const text = await new Response(master.body).text();
  const named = new Set(playlistReferences(text).map((uri) => uri.split('/')[0]));
  const folders = new Set(
    stored
      .map((key) => key.slice(hls.length))
      .flatMap((rest) => (rest.includes('/') ? [rest.split('/')[0]] : [])),
  );
  let removed = 0;
  for (const folder of folders) {
    if (folder && !named.has(folder)) removed += await storage.deletePrefix(`${hls}${folder}/`);
  }
  return removed;
}
