import { describe, expect, it } from 'vitest';
import { startProcess } from './process.js';

describe('startProcess (the live FFmpeg)', () => {
  it('delivers stdout and extra pipes as bytes, by output index', async () => {
    const seen: string[] = [];
    const proc = startProcess('sh', ['-c', 'printf a; printf b >&3; printf c >&4'], {
      extraOutputs: 2,
      parentDeath: 'setpriv',
      onOutput: (index, chunk) => seen.push(`${index}:${Buffer.from(chunk).toString()}`),
    });
    const result = await proc.exited;
    expect(result.code).toBe(0);
    expect(seen.sort()).toEqual(['0:a', '1:b', '2:c']);
  });

  it('asks with SIGTERM first, and SIGKILLs a process that ignores it after the grace', async () => {
    const polite = startProcess('sleep', ['10'], { onOutput: () => {} });
    let started = Date.now();
    await polite.stop(1000);
    expect((await polite.exited).signal).toBe('SIGTERM');
    expect(Date.now() - started).toBeLessThan(500);

    const stubborn = startProcess('sh', ['-c', 'trap "" TERM; while :; do :; done'], {
      parentDeath: 'setpriv',
      onOutput: () => {},
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    started = Date.now();
    await stubborn.stop(300);
    expect((await stubborn.exited).signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('refuses extra pipes under the pipe wrapper, which keeps fd 3 for itself', () => {
    expect(() =>
      startProcess('true', [], { extraOutputs: 1, parentDeath: 'pipe', onOutput: () => {} }),
    ).toThrow(/setpriv/);
  });
});
