import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, withoutQueryParams } from './errors.js';

const coded = (code: string) => Object.assign(new Error(code), { code });

/** The shape of drizzle's DrizzleQueryError, whose message and fields carry the parameters. */
class QueryError extends Error {
  constructor(
    readonly query: string,
    readonly params: unknown[],
    cause: unknown,
  ) {
    super(`Failed query: ${query}\nparams: ${params}`, { cause });
    this.name = 'DrizzleQueryError';
  }
}

describe('database errors', () => {
  it('tells an outage from a bad query, anywhere in the cause chain', () => {
    for (const code of [
      'CONNECTION_CLOSED',
      'CONNECT_TIMEOUT',
      'ECONNREFUSED',
      '08006',
      '57P01',
      '57P03',
      '57014',
    ])
      expect(isDatabaseUnavailable(new QueryError('select 1', [], coded(code))), code).toBe(true);
    expect(isDatabaseUnavailable(new QueryError('insert', [], coded('23505')))).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });

  it('drops query parameters from what is logged, keeping the statement and the cause', () => {
    const cause = coded('CONNECTION_CLOSED');
    const safe = withoutQueryParams(
      new QueryError('select * from users where email = $1', ['a@b.example'], cause),
    );
    expect(safe).toBeInstanceOf(Error);
    const error = safe as Error;
    expect(error.message).toBe('Failed query: select * from users where email = $1');
    expect(JSON.stringify({ ...error, message: error.message, stack: error.stack })).not.toContain(
      'a@b.example',
    );
    expect(error.cause).toBe(cause);
    const plain = new Error('not a query');
    expect(withoutQueryParams(plain)).toBe(plain);
  });
});
