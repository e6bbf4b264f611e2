import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockPglite, PGLITE_LOCK_FILE, PgliteInUseError, pgliteOwner } from './pglite-lock.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('one process per PGlite data folder', () => {
  it('refuses a folder a live process holds, naming it, and takes over a dead one', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'vidra-pglite-lock-'));
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(path.join(dir, PGLITE_LOCK_FILE), String(holder.pid));
      expect(pgliteOwner(dir)).toBe(holder.pid);
      expect(() => lockPglite(dir)).toThrow(PgliteInUseError);
      expect(() => lockPglite(dir)).toThrow(`in use by process ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    // The holder died without cleaning up (kill -9): its file is stale, and the folder is free.
    expect(pgliteOwner(dir)).toBeUndefined();
    const release = lockPglite(dir);
    expect(readFileSync(path.join(dir, PGLITE_LOCK_FILE), 'utf8')).toBe(String(process.pid));
    release();
    expect(() => readFileSync(path.join(dir, PGLITE_LOCK_FILE))).toThrow();
  });
});
