import { describe, expect, it } from 'vitest';
import type { LiveStateInput } from '../../../protocol/live.js';
import { LiveStateInputSchema } from '../../../protocol/live.js';
import type { PackagerState } from '../../../protocol/live-hls/state.js';
import { LivePusher, liveStateInput } from './push.js';

/** A target whose PUTs complete only when the test says so. */
function manualTarget() {
  const log: string[] = [];
  const pending = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();
  const wait = (what: string) =>
    new Promise<void>((resolve, reject) => {
      log.push(`start ${what}`);
      pending.set(what, {
        resolve: () => {
          log.push(`done ${what}`);
          resolve();
        },
        reject,
      });
    });
  return {
    log,
    finish: (what: string) => pending.get(what)?.resolve(),
    failOnce: (what: string) => pending.get(what)?.reject(new Error('boom')),
    target: {
      putFile: (rendition: string, file: string) => wait(`${rendition}/${file}`),
      putState: (state: LiveStateInput) => wait(`state ${state.renditions[0]?.bandwidth}`),
    },
  };
}

const state = (n: number): LiveStateInput => ({
  renditions: [{ name: 'source', bandwidth: n, state: EMPTY as LiveStateInput['renditions'][0]['state'] }],
});
const EMPTY: PackagerState = {
  targetDuration: 1,
  partTarget: 0.2,
  mediaSequence: 1,
  discontinuitySequence: 0,
  segments: [],
  current: undefined,
  preloadHint: undefined,
  ended: false,
};
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('pushing a live to the origin', () => {
  it('sends a state only after the parts it names', async () => {
    const t = manualTarget();
    const pusher = new LivePusher(t.target);
    pusher.file('source', 'part_00001_0.m4s', new Uint8Array(1));
    pusher.state(state(1));
    await tick();
    expect(t.log).toEqual(['start source/part_00001_0.m4s']);
    t.finish('source/part_00001_0.m4s');
    await tick();
    expect(t.log.at(-1)).toBe('start state 1');
    t.finish('state 1');
    await pusher.idle();
    expect(pusher.statesSent).toBe(1);
  });

  it('keeps one state in flight and then sends only the newest', async () => {
    const t = manualTarget();
    const pusher = new LivePusher(t.target);
    pusher.state(state(1));
    await tick();
    pusher.state(state(2));
    pusher.state(state(3));
    pusher.state(state(4));
    await tick();
    expect(t.log).toEqual(['start state 1']);
    t.finish('state 1');
    await tick();
    await tick();
    expect(t.log).toEqual(['start state 1', 'done state 1', 'start state 4']);
    t.finish('state 4');
    await pusher.idle();
    expect(pusher.statesSent).toBe(2);
  });

  it('does not hold a state back for files handed in after it', async () => {
    const t = manualTarget();
    const pusher = new LivePusher(t.target);
    pusher.state(state(1));
    pusher.file('source', 'part_00001_1.m4s', new Uint8Array(1));
    await tick();
    expect(t.log).toContain('start state 1');
    t.finish('state 1');
    t.finish('source/part_00001_1.m4s');
    await pusher.idle();
  });

  it('retries a failed file, and gives up at once when the error is fatal', async () => {
    let calls = 0;
    const errors: string[] = [];
    const pusher = new LivePusher(
      {
        putFile: async (_r, file) => {
          calls++;
          if (file === 'gone.m4s') throw new Error('lease lost');
          if (calls < 3) throw new Error('flaky');
        },
        putState: async () => {},
      },
      { isFatal: (e) => (e as Error).message === 'lease lost', onError: (_e, what) => errors.push(what) },
    );
    pusher.file('source', 'seg_00001.m4s', new Uint8Array(1));
    await pusher.idle();
    expect(calls).toBe(3);
    expect(errors).toEqual([]);
    pusher.file('source', 'gone.m4s', new Uint8Array(1));
    await pusher.idle();
    expect(calls).toBe(4);
    expect(errors).toEqual(['source/gone.m4s']);
  });

  it('builds a state body the origin accepts', () => {
    const body = liveStateInput([
      {
        name: 'source',
        bandwidth: 1_200_000,
        codecs: 'avc1.64001f,mp4a.40.2',
        width: 320,
        height: 180,
        state: EMPTY,
      },
      { name: '720p', bandwidth: 3_000_000, codecs: undefined, state: EMPTY },
    ]);
    expect(LiveStateInputSchema.parse(body)).toEqual(body);
    expect(body.renditions[1]).not.toHaveProperty('codecs');
  });
});
