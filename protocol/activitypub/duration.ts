/**
 * ActivityStreams duration the way PeerTube writes and reads it: whole seconds only, `PT<n>S`.
 * PeerTube parses `PT1M33S` as 1 s (it reads the digits after `PT`), so minutes are never used.
 */
export function toApDuration(seconds: number | null | undefined): string {
  return `PT${Math.max(0, Math.round(seconds ?? 0))}S`;
}

/** The seconds of a `PT<n>S` duration; undefined for anything else (`PT1M33S` included). */
export function fromApDuration(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^PT(\d{1,9})S$/.exec(value);
  return match ? Number(match[1]) : undefined;
}
