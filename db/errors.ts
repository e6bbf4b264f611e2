/**
 * What a database error means to a caller, without any driver import: postgres.js and PGlite
 * errors are recognised by their `code`, drizzle's wrapper by its `query`/`params` fields.
 */

// postgres.js connection failures and the socket errors under them.
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

// SQLSTATEs of a server going away, starting, full of clients, or a statement over its timeout.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014']);

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

/**
 * True when the error says the database cannot be reached right now (down, restarting, timed
 * out): a caller should answer 503 and try again later, not 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return causes(error).some((e) => {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string') return false;
    return CONNECTION_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08');
  });
}

/**
 * The error with query parameters removed, for logs: drizzle's DrizzleQueryError carries them in
 * its message and its `params` field, and they may be passwords, tokens or personal data.
 * Other errors come back as they are.
 */
export function withoutQueryParams(error: unknown): unknown {
  if (!(error instanceof Error) || !('params' in error) || !('query' in error)) return error;
  const safe = new Error(`Failed query: ${String(error.query)}`, { cause: withoutQueryParams(error.cause) });
  safe.name = error.name;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  safe.stack = [`${safe.name}: ${safe.message}`, ...frames].join('\n');
  return safe;
}
