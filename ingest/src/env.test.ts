import { describe, expect, it } from 'vitest';
import { parseIngestEnv } from './env.js';

describe('parseIngestEnv', () => {
  it('defaults to loopback RTMP on 1935 and a 3 s authorize timeout', () => {
    const env = parseIngestEnv({ INTERNAL_API_TOKEN: 't' });
    expect(env).toMatchObject({
      ORIGIN_URL: 'http://127.0.0.1:8080',
      INGEST_HOST: '127.0.0.1',
      INGEST_RTMP_PORT: 1935,
      INGEST_AUTHORIZE_TIMEOUT_MS: 3000,
    });
    expect(env.INGEST_PUBLIC_HOST).toBeUndefined();
    expect(env.INGEST_NODE_NAME).toMatch(/^ingest-/);
  });
  it('coerces ports and timeouts from strings', () => {
    const env = parseIngestEnv({
      INTERNAL_API_TOKEN: 't',
      INGEST_RTMP_PORT: '19350',
      INGEST_AUTHORIZE_TIMEOUT_MS: '500',
    });
    expect(env.INGEST_RTMP_PORT).toBe(19350);
    expect(env.INGEST_AUTHORIZE_TIMEOUT_MS).toBe(500);
  });
  it('names every bad variable at once', () => {
    const bad = () => parseIngestEnv({ INGEST_RTMP_PORT: '70000', ORIGIN_URL: 'nope' });
    expect(bad).toThrow(/INTERNAL_API_TOKEN/);
    expect(bad).toThrow(/INGEST_RTMP_PORT/);
    expect(bad).toThrow(/ORIGIN_URL/);
  });
});
