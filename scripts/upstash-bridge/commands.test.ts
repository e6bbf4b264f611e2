import { describe, expect, it } from 'vitest';
import { CommandTranslator, scriptSha, stripUpstashScriptFlags } from './commands.js';

/** Pure translation rules; their effect on a real Redis is covered in protocol.test.ts. */
describe('upstash bridge command translation', () => {
  it('drops only the Upstash-only shebang flag, keeping lines and other flags', () => {
    expect(stripUpstashScriptFlags('#!lua flags=allow-key-locking\nreturn 1')).toBe('#!lua flags=\nreturn 1');
    expect(stripUpstashScriptFlags('#!lua flags=no-writes,allow-key-locking,allow-oom\nreturn 1')).toBe(
      '#!lua flags=no-writes,allow-oom\nreturn 1',
    );
    for (const untouched of [
      '#!lua flags=no-writes\nreturn 1',
      'return 1',
      '-- flags=allow-key-locking\nreturn 1',
    ]) {
      expect(stripUpstashScriptFlags(untouched)).toBe(untouched);
    }
  });

  it('hashes scripts as Redis does', () => {
    expect(scriptSha('return 1')).toBe('e0e1f9fabfc9d4800c877a703b823ac0578ff8db');
  });

  it('aliases the client hash of a rewritten script to the hash Redis stores', () => {
    const t = new CommandTranslator();
    const original = '#!lua flags=allow-key-locking\nreturn 1';
    const rewritten = '#!lua flags=\nreturn 1';
    // Before the script was seen, EVALSHA passes through so Redis answers NOSCRIPT.
    expect(t.prepare(['EVALSHA', scriptSha(original), '0']).args).toEqual([
      'EVALSHA',
      scriptSha(original),
      '0',
    ]);
    expect(t.prepare(['eval', original, '0']).args).toEqual(['eval', rewritten, '0']);
    expect(t.prepare(['EVALSHA', scriptSha(original), '0']).args).toEqual([
      'EVALSHA',
      scriptSha(rewritten),
      '0',
    ]);
    const load = t.prepare(['SCRIPT', 'LOAD', original]);
    expect(load.args).toEqual(['SCRIPT', 'LOAD', rewritten]);
    expect(load.mapReply(scriptSha(rewritten))).toBe(scriptSha(original));
  });

  it('refuses stateful and blocking commands, but not look-alike reads', () => {
    const t = new CommandTranslator();
    for (const refused of [
      ['subscribe', 'c'],
      ['WATCH', 'k'],
      ['XREAD', 'BLOCK', '0', 'STREAMS', 's', '$'],
    ]) {
      expect(() => t.prepare(refused)).toThrow(/not supported by the Upstash bridge/);
    }
    const streamNamedBlock = ['XREAD', 'COUNT', '1', 'STREAMS', 'block', '0'];
    expect(t.prepare(streamNamedBlock).args).toEqual(streamNamedBlock);
  });
});
