/** The oldest Node.js every Node tier runs on: what @fedify/fedify 2.x and current wrangler need. */
export const MINIMUM_NODE_VERSION = '22.12.0';

/**
 * Why this Node.js version cannot run a Vidra tier, or undefined when it can. Each tier calls it
 * first thing at start-up, so an old runtime is refused with a clear message instead of failing
 * later inside a library (fedify on Node 20 dies with "navigator is not defined").
 */
export function nodeVersionProblem(version: string, tier: string): string | undefined {
  const parse = (v: string) =>
    v
      .replace(/^v/, '')
      .split('.')
      .map((part) => Number.parseInt(part, 10) || 0);
  const [major = 0, minor = 0, patch = 0] = parse(version);
  const [minMajor = 0, minMinor = 0, minPatch = 0] = parse(MINIMUM_NODE_VERSION);
  const ok =
    major !== minMajor ? major > minMajor : minor !== minMinor ? minor > minMinor : patch >= minPatch;
  if (ok) return undefined;
  return (
    `Vidra's ${tier} needs Node.js ${MINIMUM_NODE_VERSION} or later (24 LTS recommended); this is ${version}. ` +
    'Install Node 24, or run `bash .ci/run` once and put .node/bin first on PATH.'
  );
}
