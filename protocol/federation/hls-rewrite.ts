/**
 * Rewriting a remote HLS playlist so that everything it points at (variant playlists, segments,
 * init sections, keys, parts) is fetched through the media proxy as well. Pure: the caller signs
 * the URLs `playlistUris` lists, then hands the mapping to `rewritePlaylist`.
 */

/** `URI="..."` attributes (EXT-X-MAP, -KEY, -MEDIA, -PART, -PRELOAD-HINT, -I-FRAME-STREAM-INF...). */
const URI_ATTRIBUTE = /URI="([^"]*)"/g;

function eachUri(text: string, base: string, visit: (absolute: string) => string | undefined): string {
  return text
    .split(/\r?\n/)
    .map((line) => {
      const trimmed = line.trim();
      if (trimmed === '') return line;
      if (trimmed.startsWith('#')) {
        return line.replace(URI_ATTRIBUTE, (whole, uri: string) => {
          const replaced = resolve(uri, base, visit);
          return replaced === undefined ? whole : `URI="${replaced}"`;
        });
      }
      return resolve(trimmed, base, visit) ?? line;
    })
    .join('\n');
}

function resolve(uri: string, base: string, visit: (absolute: string) => string | undefined) {
  let absolute: string;
  try {
    absolute = new URL(uri, base).href;
  } catch {
    return undefined;
  }
  return visit(absolute);
}

/** Every URL (absolute, resolved against the playlist's own `base`) the playlist refers to. */
export function playlistUris(text: string, base: string): string[] {
  const found = new Set<string>();
  eachUri(text, base, (absolute) => {
    found.add(absolute);
    return undefined;
  });
  return [...found];
}

/**
 * The playlist with each URL it refers to replaced by `proxied.get(url)`; a URL missing from the
 * map (`data:`, `skd:`...) is left as it was. Line endings become `\n`.
 */
export function rewritePlaylist(text: string, base: string, proxied: ReadonlyMap<string, string>): string {
  return eachUri(text, base, (absolute) => proxied.get(absolute));
}
