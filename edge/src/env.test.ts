import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../protocol/errors.js';
import { EdgeEnvSchema, loadConfig } from './env.js';
import { ERROR_STATUS, errorResponse } from './errors.js';
import { pickOrigin, stripHopByHop, upstreamUrl } from './proxy.js';

describe('EdgeEnvSchema', () => {
  it('splits, trims and normalises the ORIGINS list', () => {
    const parsed = EdgeEnvSchema.parse({
      ORIGINS: ' https://origin-1.example.com/ ,http://127.0.0.1:8080,, https://origin-2.example.com:8443',
    });
    expect(parsed.origins).toEqual([
      'https://origin-1.example.com',
      'http://127.0.0.1:8080',
      'https://origin-2.example.com:8443',
    ]);
  });

  it.each([
    ['missing', {}],
    ['not a string', { ORIGINS: 42 }],
    ['empty', { ORIGINS: '' }],
    ['only separators', { ORIGINS: ' , ,' }],
    ['not a URL', { ORIGINS: 'origin-1' }],
    ['not http(s)', { ORIGINS: 'ftp://origin-1.example.com' }],
    ['with a path', { ORIGINS: 'https://origin-1.example.com/api' }],
    ['with a query', { ORIGINS: 'https://origin-1.example.com/?a=1' }],
    ['with credentials', { ORIGINS: 'https://user:pass@origin-1.example.com' }],
    ['one bad entry among good ones', { ORIGINS: 'https://ok.example.com,nope' }],
  ])('rejects ORIGINS %s', (_label, env) => {
    expect(EdgeEnvSchema.safeParse(env).success).toBe(false);
  });
});

describe('loadConfig', () => {
  it('reports which binding is wrong instead of throwing', () => {
    const result = loadConfig({ ORIGINS: 'https://origin-1.example.com/api' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual(['ORIGINS.0: must not carry a path, query or fragment']);
  });

  it('parses each env object once and reuses the result', () => {
    const env = { ORIGINS: 'https://origin-1.example.com' };
    const first = loadConfig(env);
    expect(first).toMatchObject({ ok: true, config: { origins: ['https://origin-1.example.com'] } });
    expect(loadConfig(env)).toBe(first);
  });
});

describe('proxy helpers', () => {
  it('pickOrigin takes the first origin for now and refuses an empty list', () => {
    expect(pickOrigin(['https://a.example.com', 'https://b.example.com'])).toBe('https://a.example.com');
    expect(() => pickOrigin([])).toThrow(/at least one origin/);
  });

  it('upstreamUrl keeps path and query and always the origin host', () => {
    const target = upstreamUrl(
      new URL('https://edge.example.com//x.example/p%20q?a=1&b'),
      'http://10.0.0.1:8080',
    );
    expect(target.href).toBe('http://10.0.0.1:8080//x.example/p%20q?a=1&b');
    expect(target.host).toBe('10.0.0.1:8080');
  });

  it('stripHopByHop removes the fixed set and anything listed in Connection', () => {
    const out = stripHopByHop(
      new Headers({
        connection: 'close, X-Private',
        'x-private': '1',
        'transfer-encoding': 'chunked',
        trailer: 'x-checksum',
        'proxy-connection': 'keep-alive',
        'content-length': '12',
        'upload-offset': '0',
      }),
    );
    expect([...out.keys()].sort()).toEqual(['content-length', 'upload-offset']);
  });
});

describe('errors', () => {
  it("uses exactly the protocol's status for every code", () => {
    expect(ERROR_STATUS).toEqual(ERROR_CODES);
  });

  it('builds the house error shape', async () => {
    const res = errorResponse('too_many_requests', 'Slow down', 'req-1');
    expect(res.status).toBe(429);
    expect(res.headers.get('x-request-id')).toBe('req-1');
    expect(await res.json()).toEqual({
      error: { code: 'too_many_requests', message: 'Slow down', requestId: 'req-1' },
    });
  });
});
