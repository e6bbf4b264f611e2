import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { reclaimScratch, SCRATCH_MAX_AGE_MS, scratchOwner, scratchPrefix } from './scratch.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('scratch folders', () => {
  it('names the owning pid and reads it back', () => {
    expect(scratchPrefix('0123456789abcdef', 42)).toBe('job-01234567-p42-');
    expect(scratchOwner('job-01234567-p42-Xy12ab')).toBe(42);
    expect(scratchOwner('job-01234567-Xy12ab')).toBeUndefined();
    expect(scratchOwner('unrelated')).toBeUndefined();
  });

  it("reclaims a dead owner's, our own from before a restart, and stale ones; keeps live and in-use ones", async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'vidra-scratch-'));
    dir = root;
    const make = (name: string) => {
      mkdirSync(path.join(root, name));
      return path.join(root, name);
    };
    make('job-aaaaaaaa-p999999-dead');
    make(`job-bbbbbbbb-p${process.pid}-old`);
    const inUse = make(`job-cccccccc-p${process.pid}-busy`);
    make('job-dddddddd-p1-sibling');
    const stale = make('job-eeeeeeee-p1-stale');
    const old = (Date.now() - SCRATCH_MAX_AGE_MS - 60_000) / 1000;
    utimesSync(stale, old, old);
    make('not-a-job');
    const removed = await reclaimScratch(root, { inUse: new Set([inUse]), isAlive: (pid) => pid === 1 });
    expect(removed.sort()).toEqual(
      ['job-aaaaaaaa-p999999-dead', `job-bbbbbbbb-p${process.pid}-old`, 'job-eeeeeeee-p1-stale'].sort(),
    );
    expect(readdirSync(root).sort()).toEqual(
      [`job-cccccccc-p${process.pid}-busy`, 'job-dddddddd-p1-sibling', 'not-a-job'].sort(),
    );
  });
});
