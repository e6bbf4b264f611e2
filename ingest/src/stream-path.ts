/**
 * Names on the RTMP wire, as pure functions. An encoder publishes to `rtmp://<host>:<port>/live/<key>`:
 * RTMP splits that into the application (`live`, from `connect`) and the stream name (`<key>`, from
 * `publish`, possibly followed by `?query`). The accepted stream is republished under the origin's
 * `streamName` (`/live/<streamName>`), never under the key.
 */

/** The only RTMP application this node serves, for publishing and for pulling. */
export const RTMP_APP = 'live';

/** Longest key the origin accepts (`LiveAuthorizeInputSchema.streamKey`). */
const MAX_KEY_LENGTH = 200;

/**
 * Characters node-media-server accepts in a stream path; the republished name must match it.
 * Keys get the same set: the origin mints URL-safe keys, and anything else is a typo or an attack.
 */
const SAFE_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * The stream key of a publish: the last path segment of `/<app>/<name>`, query string dropped.
 * Undefined when the path is not under `live/`, the key is empty or too long, or a segment has odd characters.
 * OBS and FFmpeg may put part of the path in the app (`live/extra`) or in the name (`extra/key`).
 */
export function streamKeyFromPublish(app: string, publishName: string): string | undefined {
  const path = `${app}/${publishName.split('?')[0] ?? ''}`;
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments[0] !== RTMP_APP || segments.length < 2) return undefined;
  if (!segments.every((segment) => SAFE_NAME.test(segment))) return undefined;
  const key = segments[segments.length - 1] ?? '';
  if (key.length > MAX_KEY_LENGTH) return undefined;
  return key;
}

/** The name a player asks for (`play` on app `live`), or undefined for any other app or shape. */
export function playNameFromRequest(app: string, playName: string): string | undefined {
  const name = playName.split('?')[0] ?? '';
  if (app !== RTMP_APP || !isRepublishableName(name)) return undefined;
  return name;
}

/** Whether the origin's `streamName` can be served as `/live/<streamName>`. */
export function isRepublishableName(name: string): boolean {
  return name.length > 0 && name.length <= 100 && SAFE_NAME.test(name);
}

/** `pullBaseUrl` sent in `authorize`: where the live transcoder pulls `<base>/<streamName>` from. */
export function rtmpPullBaseUrl(publicHost: string, port: number): string {
  const host = publicHost.includes(':') && !publicHost.startsWith('[') ? `[${publicHost}]` : publicHost;
  return `rtmp://${host}:${port}/${RTMP_APP}`;
}
