import { Redis } from '@upstash/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BridgeFixture, b64, postRaw, startFixture } from '../../test/support/upstash-bridge.js';
import { scriptSha } from './commands.js';

const BASE64 = { 'upstash-encoding': 'base64' };

/** The wire format itself, which the edge relies on whether or not it goes through @upstash/redis. */
describe('upstash bridge wire format', () => {
  let fx: BridgeFixture;

  beforeAll(async () => {
    fx = await startFixture(64 * 1024);
  });
  afterEach(() => fx.cleanup());
  afterAll(() => fx.stop());

  it('base64-encodes every string but a top-level OK, leaving numbers and nulls alone', async () => {
    const k = fx.prefix();
    expect(await postRaw(fx, '/', ['SET', `${k}a`, 'héllo'], BASE64)).toEqual({
      status: 200,
      json: { result: 'OK' },
    });
    expect((await postRaw(fx, '/', ['GET', `${k}a`], BASE64)).json).toEqual({ result: b64('héllo') });
    expect((await postRaw(fx, '/', ['PING'], BASE64)).json).toEqual({ result: b64('PONG') });
    const lua = 'return {redis.status_reply("OK"), "x", 3, {"deep"}, redis.call("GET", KEYS[1])}';
    expect((await postRaw(fx, '/', ['EVAL', lua, 1, `${k}nope`], BASE64)).json).toEqual({
      // Lua false (GET of a missing key) is a nil inside the array: JSON null.
      result: [b64('OK'), b64('x'), 3, [b64('deep')], null],
    });
    // Bytes that are not UTF-8 (written straight to Redis) come back exact under base64.
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41]);
    await fx.direct.set(`${k}bin`, bytes);
    expect((await postRaw(fx, '/', ['GET', `${k}bin`], BASE64)).json).toEqual({
      result: bytes.toString('base64'),
    });
    // Without the header the same replies come back as plain strings.
    expect((await postRaw(fx, '/', ['GET', `${k}a`])).json).toEqual({ result: 'héllo' });
    expect((await postRaw(fx, '/', ['GET', `${k}missing`], BASE64)).json).toEqual({ result: null });
  });

  it('answers a pipeline entry by entry, errors unencoded', async () => {
    const k = fx.prefix();
    const res = await postRaw(
      fx,
      '/pipeline',
      [
        ['SET', `${k}a`, 'v'],
        ['INCR', `${k}a`],
        ['GET', `${k}a`],
      ],
      BASE64,
    );
    expect(res.status).toBe(200);
    expect(res.json).toEqual([
      { result: 'OK' },
      { error: 'ERR value is not an integer or out of range' },
      { result: b64('v') },
    ]);
  });

  it('discards a whole transaction when a queued command is invalid (400)', async () => {
    const k = fx.prefix();
    const res = await postRaw(fx, '/multi-exec', [['SET', `${k}a`, 'v'], ['GET']]);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: "ERR wrong number of arguments for 'get' command" });
    expect(await fx.direct.exists(`${k}a`)).toBe(0);
  });

  it('gives Redis errors on single commands as HTTP 400', async () => {
    const res = await postRaw(fx, '/', ['NOSUCHCOMMAND', 'x']);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: expect.stringMatching(/^ERR unknown command 'NOSUCHCOMMAND'/) });
    expect((await postRaw(fx, '/', '{not json')).json).toEqual({ error: 'ERR failed to parse command' });
    expect((await postRaw(fx, '/', [['nested']])).status).toBe(400);
  });

  it('refuses commands that would hijack or block the shared connection', async () => {
    for (const command of [['SUBSCRIBE', 'c'], ['SELECT', '1'], ['BLPOP', 'k', '0'], ['MULTI']]) {
      const res = await postRaw(fx, '/', command);
      expect(res.status).toBe(400);
      expect(res.json).toEqual({ error: expect.stringContaining('not supported by the Upstash bridge') });
    }
    // The connection is still in its normal state afterwards.
    expect((await postRaw(fx, '/', ['PING'])).json).toEqual({ result: 'PONG' });
  });

  it('serves the URL path form, with a POST body as the last argument', async () => {
    const k = encodeURIComponent(fx.prefix());
    const auth = { authorization: `Bearer ${fx.token}` };
    const set = await fetch(`${fx.bridge.url}/set/${k}p/${encodeURIComponent('a b/ü')}`, { headers: auth });
    expect(await set.json()).toEqual({ result: 'OK' });
    const get = await fetch(`${fx.bridge.url}/get/${k}p`, { headers: auth });
    expect(await get.json()).toEqual({ result: 'a b/ü' });
    await fetch(`${fx.bridge.url}/set/${k}q`, { method: 'POST', headers: auth, body: 'from body' });
    expect((await postRaw(fx, '/', ['GET', `${decodeURIComponent(k)}q`])).json).toEqual({
      result: 'from body',
    });
  });

  it('rejects a body over the limit with 413 and keeps serving', async () => {
    const res = await postRaw(fx, '/', ['SET', 'never-stored', 'x'.repeat(200 * 1024)]);
    expect(res.status).toBe(413);
    expect(res.json).toEqual({ error: expect.stringContaining('exceeds') });
    const client = new Redis({ url: fx.bridge.url, token: fx.token });
    await expect(client.set(`${fx.prefix()}big`, 'y'.repeat(100 * 1024))).rejects.toThrow(/exceeds/);
    expect(await fx.direct.exists('never-stored')).toBe(0);
    expect((await postRaw(fx, '/', ['PING'])).status).toBe(200);
  });

  it("loads scripts with Upstash's allow-key-locking flag under the client's own hash", async () => {
    const k = fx.prefix();
    const script = '#!lua flags=allow-key-locking,no-writes\nreturn redis.call("EXISTS", KEYS[1])';
    const loaded = await postRaw(fx, '/', ['SCRIPT', 'LOAD', script]);
    expect(loaded.json).toEqual({ result: scriptSha(script) });
    expect((await postRaw(fx, '/', ['EVALSHA', scriptSha(script), 1, `${k}x`])).json).toEqual({ result: 0 });
    expect((await postRaw(fx, '/', ['SCRIPT', 'EXISTS', scriptSha(script)])).json).toEqual({ result: [1] });
    // no-writes survived the rewrite: Redis still refuses a write from this script.
    const writer = '#!lua flags=allow-key-locking,no-writes\nreturn redis.call("SET", KEYS[1], "v")';
    const refused = await postRaw(fx, '/', ['EVAL', writer, 1, `${k}w`]);
    expect(refused.status).toBe(400);
    expect(await fx.direct.exists(`${k}w`)).toBe(0);
  });
});
