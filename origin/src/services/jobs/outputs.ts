import { playlistReferences } from '../../../../protocol/hls.js';
import { isHlsPlaylist, videoObjectKey } from '../../../../protocol/media.js';
import { ConflictError, ValidationError } from '../../lib/errors.js';
import type { PutOptions, Storage, StorageBody } from '../../storage/types.js';

/** A playlist is text of a few lines per segment: even hours of 4 s segments stay far below this. */
export const MAX_PLAYLIST_BYTES = 4 * 1024 * 1024;

/**
 * The files a playlist at `path` (relative to the video) names that are not stored: what a
 * reader of that playlist would miss. A URI that is absolute, or climbs out of the playlist's
 * folder, counts as missing: a published playlist only ever names its own video's files.
 */
export async function missingReferences(
  storage: Storage,
  videoId: string,
  path: string,
  text: string,
): Promise<string[]> {
  const folder = path.slice(0, path.lastIndexOf('/') + 1);
  const listings = new Map<string, Promise<Set<string>>>();
  const missing: string[] = [];
  for (const uri of playlistReferences(text)) {
    if (!/^[\w-]+(?:\.[\w-]+)*(?:\/[\w-]+(?:\.[\w-]+)*)*$/.test(uri)) {
      missing.push(uri);
      continue;
    }
    const key = videoObjectKey(videoId, `${folder}${uri}`);
    const dir = key.slice(0, key.lastIndexOf('/') + 1);
    let listing = listings.get(dir);
    if (!listing) {
      // One listing per folder rather than one lookup per segment: a long video has thousands.
      listing = storage.list(dir).then((keys) => new Set(keys));
      listings.set(dir, listing);
    }
    if (!(await listing).has(key)) missing.push(uri);
  }
  return missing;
}

async function readPlaylist(body: StorageBody): Promise<string> {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    size += chunk.byteLength;
    if (size > MAX_PLAYLIST_BYTES) {
      await reader.cancel();
      throw new ValidationError([
        { path: 'body', message: `A playlist is at most ${MAX_PLAYLIST_BYTES} bytes` },
      ]);
    }
    chunks.push(chunk);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/**
 * Store one output file a runner uploads for a video. A playlist is stored only once every file
 * it names is (409 otherwise), so a publish is atomic for readers: a new master appears only
 * after all its media playlists, and each of those only after its init and segments. Uploading
 * in that order (`uploadOrder` in the transcoder) is what makes it pass.
 */
export async function storeJobOutput(
  storage: Storage,
  input: { videoId: string; path: string; body: StorageBody; options: PutOptions },
): Promise<void> {
  const key = videoObjectKey(input.videoId, input.path);
  if (!isHlsPlaylist(input.path)) {
    await storage.put(key, input.body, input.options);
    return;
  }
  const text = await readPlaylist(input.body);
  const missing = await missingReferences(storage, input.videoId, input.path, text);
  if (missing.length > 0) {
    throw new ConflictError(
      `${input.path} names files that are not stored yet; upload them first`,
      missing.slice(0, 20).map((uri) => ({ path: 'files', message: `${uri} is missing` })),
    );
  }
  const { contentLength: _ignored, ...options } = input.options;
  await storage.put(key, text, options);
}
