import { Redis } from '@upstash/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeFixture, postRaw, startFixture } from '../../test/support/upstash-bridge.js';

/** The bridge driven by the real @upstash/redis client (base64 encoding on, as by default). */
describe('upstash bridge with @upstash/redis', () => {
  let fx: BridgeFixture;
  let redis: Redis;
  // Auto-pipelining (the client's default) sends everything to /pipeline; this one hits POST /.
  let single: Redis;

  beforeAll(async () => {
    fx = await startFixture();
    redis = new Redis({ url: fx.bridge.url, token: fx.token });
    single = new Redis({ url: fx.bridge.url, token: fx.token, enableAutoPipelining: false });
  });
  afterEach(() => fx.cleanup());
  afterAll(() => fx.stop());

  it.each([
    ['auto-pipelined', () => redis],
    ['single-command', () => single],
  ])('round-trips strings, numbers and expiries (%s)', async (_mode, client) => {
    const r = client();
    const k = fx.prefix();
    const tricky = 'é\u0000\u0001\u00ff 日本語 🎉 "quotes" \\ \n\t end';
    expect(await r.set(`${k}s`, tricky)).toBe('OK');
    expect(await r.get(`${k}s`)).toBe(tricky);
    // What Redis holds is the exact UTF-8 of the string, not some re-encoding of it.
    expect(await fx.direct.get(`${k}s`)).toBe(tricky);
    // A stored value that looks like the status reply must not be confused with it either way.
    expect(await r.set(`${k}ok`, 'OK')).toBe('OK');
    expect(await r.get(`${k}ok`)).toBe('OK');
    expect(await r.get(`${k}missing`)).toBeNull();
    expect(await r.incr(`${k}n`)).toBe(1);
    expect(await r.incrby(`${k}n`, 41)).toBe(42);
    expect(await r.incrbyfloat(`${k}f`, 0.5)).toBe(0.5);
    expect(await r.expire(`${k}n`, 100)).toBe(1);
    const ttl = await r.ttl(`${k}n`);
    expect(ttl).toBeGreaterThan(90);
    expect(ttl).toBeLessThanOrEqual(100);
    expect(await r.exists(`${k}n`, `${k}missing`)).toBe(1);
    expect(await r.del(`${k}n`)).toBe(1);
    expect(await r.ping()).toBe('PONG');
    expect(await r.type(`${k}s`)).toBe('string');
  });

  it('round-trips hashes and lists, including unicode members', async () => {
    const k = fx.prefix();
    expect(await redis.hset(`${k}h`, { name: 'Zoë 🎬', views: 7 })).toBe(2);
    expect(await redis.hget(`${k}h`, 'name')).toBe('Zoë 🎬');
    expect(await redis.hincrby(`${k}h`, 'views', 3)).toBe(10);
    expect(await redis.hgetall(`${k}h`)).toEqual({ name: 'Zoë 🎬', views: 10 });
    expect(await fx.direct.hGetAll(`${k}h`)).toEqual({ name: 'Zoë 🎬', views: '10' });
    expect(await redis.rpush(`${k}l`, 'a', 'ß', '🎉')).toBe(3);
    expect(await redis.lrange(`${k}l`, 0, -1)).toEqual(['a', 'ß', '🎉']);
    expect(await redis.lpop(`${k}l`)).toBe('a');
    expect(await redis.llen(`${k}l`)).toBe(2);
  });

  it('runs a pipeline in order and reports each result', async () => {
    const k = fx.prefix();
    const p = redis.pipeline();
    p.set(`${k}a`, 'first');
    p.append(`${k}a`, '+second');
    p.get(`${k}a`);
    p.incr(`${k}c`);
    p.zadd(`${k}z`, { score: 1.5, member: 'm' });
    p.zscore(`${k}z`, 'm');
    expect(await p.exec()).toEqual(['OK', 12, 'first+second', 1, 1, 1.5]);
  });

  it('runs multi as one transaction, with a runtime error thrown per command', async () => {
    const k = fx.prefix();
    const m = redis.multi();
    m.set(`${k}a`, 'v');
    m.lpush(`${k}l`, 'x', 'y');
    m.lrange(`${k}l`, 0, -1);
    m.get(`${k}a`);
    expect(await m.exec()).toEqual(['OK', 2, ['y', 'x'], 'v']);

    const failing = redis.multi();
    failing.set(`${k}b`, 'text');
    failing.incr(`${k}b`);
    failing.set(`${k}after`, 'still-ran');
    await expect(failing.exec()).rejects.toThrow(/Command 2 \[ incr \] failed: ERR value is not an integer/);
    // MULTI does not roll back: the commands around the failed one were applied.
    expect(await fx.direct.get(`${k}after`)).toBe('still-ran');
  });

  it('surfaces a Redis error as a thrown error in both request modes', async () => {
    const k = fx.prefix();
    await redis.set(`${k}s`, 'not a number');
    await expect(redis.incr(`${k}s`)).rejects.toThrow(/ERR value is not an integer or out of range/);
    await expect(single.incr(`${k}s`)).rejects.toThrow(/ERR value is not an integer or out of range/);
    await expect(redis.lpush(`${k}s`, 'x')).rejects.toThrow(/WRONGTYPE/);
    await expect(single.eval('return redis.error_reply("BOOM custom")', [], [])).rejects.toThrow(
      /BOOM custom/,
    );
  });

  it('evaluates Lua with keys and args, returning nested values', async () => {
    const k = fx.prefix();
    const script = 'redis.call("SET", KEYS[1], ARGV[1]); return {redis.call("GET", KEYS[1]), 7, {ARGV[2]}}';
    expect(await single.eval(script, [`${k}lua`], ['ünï', 'nested'])).toEqual(['ünï', 7, ['nested']]);
  });

  it('rejects a wrong token with 401', async () => {
    const wrong = new Redis({ url: fx.bridge.url, token: 'not-the-token', enableAutoPipelining: false });
    await expect(wrong.get('anything')).rejects.toThrow(/Unauthorized/);
    const res = await fetch(fx.bridge.url, { method: 'POST', body: '["PING"]' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Unauthorized' });
  });

  it('answers 413 past the default 1 MiB body limit, and the client throws', async () => {
    const k = fx.prefix();
    const big = 'x'.repeat(1024 * 1024);
    await expect(redis.set(`${k}big`, big)).rejects.toThrow(/request body exceeds 1048576 bytes/);
    const res = await postRaw(fx, '/', ['SET', `${k}big`, big]);
    expect(res).toEqual({ status: 413, json: { error: 'ERR request body exceeds 1048576 bytes' } });
    expect(await fx.direct.exists(`${k}big`)).toBe(0);
    // Just under the limit still goes through.
    expect(await redis.set(`${k}fits`, 'y'.repeat(1000 * 1024))).toBe('OK');
    expect(await fx.direct.strLen(`${k}fits`)).toBe(1000 * 1024);
  });
});
