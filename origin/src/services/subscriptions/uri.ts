/** What a subscription uri names: a channel of this instance, or one of another (federation). */
export type ChannelUri = { local: true; handle: string } | { local: false; handle: string; host: string };

/**
 * Read `handle` or `handle@host` (a leading `@` is allowed, as people paste it). A host is local
 * when it is one of `localHosts`, compared without case; everything else is remote.
 */
export function parseChannelUri(uri: string, localHosts: readonly string[]): ChannelUri {
  const trimmed = uri.trim().replace(/^@/, '');
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return { local: true, handle: trimmed };
  const handle = trimmed.slice(0, at);
  const host = trimmed.slice(at + 1).toLowerCase();
  const local = localHosts.some((h) => h.toLowerCase() === host);
  return local ? { local: true, handle } : { local: false, handle, host };
}
