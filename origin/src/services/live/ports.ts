/** An inclusive range of SRT listener ports, `first-last`. */
export interface PortRange {
  first: number;
  last: number;
}

/**
 * Parse `LIVE_SRT_PORTS`: `9000-9099` (inclusive) or a single port `9000`. Returns a message for a
 * malformed value, a port outside 1-65535, or a range that runs backwards.
 */
export function parsePortRange(text: string): PortRange | { error: string } {
  const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(text);
  if (!match) return { error: 'use first-last, e.g. 9000-9099' };
  const first = Number(match[1]);
  const last = match[2] === undefined ? first : Number(match[2]);
  if (first < 1 || last > 65_535) return { error: 'ports must be between 1 and 65535' };
  if (last < first) return { error: 'the range runs backwards' };
  return { first, last };
}

/** How many ports the range holds. */
export const portCount = (range: PortRange): number => range.last - range.first + 1;

/** The lowest port of the range not in `used`, or undefined when every port is taken. */
export function lowestFreePort(range: PortRange, used: Iterable<number>): number | undefined {
  const taken = new Set(used);
  for (let port = range.first; port <= range.last; port++) if (!taken.has(port)) return port;
  return undefined;
}
