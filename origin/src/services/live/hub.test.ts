import { afterEach, describe, expect, it } from 'vitest';
import { LiveHub, VIEWER_PRESENCE_MS } from './hub.js';

const VIDEO = '00000000-0000-4000-8000-000000000001';
const health = { inputBitrate: 2_500_000, frameRate: 30, keyframeIntervalSeconds: 1, droppedFrames: 0 };
const state = {
  targetDuration: 1,
  partTarget: 0.2,
  mediaSequence: 0,
  discontinuitySequence: 0,
  segments: [],
  ended: false,
};

describe('LiveHub: viewers and health', () => {
  const hub = new LiveHub();
  afterEach(() => hub.stop());

  it('counts distinct viewers seen within the presence window', () => {
    hub.putFile(VIDEO, 'source', 'init', 'init.mp4', new Uint8Array(1));
    hub.markViewer(VIDEO, 'user-a', 1000);
    hub.markViewer(VIDEO, 'user-a', 2000);
    hub.markViewer(VIDEO, '203.0.113.9', 2000);
    expect(hub.facts(VIDEO, 3000)).toEqual({ viewers: 2, health: null });
    expect(hub.facts(VIDEO, 2000 + VIEWER_PRESENCE_MS + 1)?.viewers).toBe(0);
  });

  it('keeps the health the transcoder last pushed', () => {
    hub.putFile(VIDEO, 'source', 'init', 'init.mp4', new Uint8Array(1));
    hub.putState(VIDEO, { renditions: [{ name: 'source', bandwidth: 1_000_000, state }], health });
    expect(hub.facts(VIDEO)?.health).toEqual(health);
  });

  it('knows nothing of a video it does not hold, and counts no viewer once ended', () => {
    expect(hub.facts(VIDEO)).toBeUndefined();
    hub.markViewer(VIDEO, 'user-a');
    expect(hub.facts(VIDEO)).toBeUndefined();
    hub.putFile(VIDEO, 'source', 'init', 'init.mp4', new Uint8Array(1));
    hub.end(VIDEO);
    hub.markViewer(VIDEO, 'user-a');
    expect(hub.facts(VIDEO)?.viewers).toBe(0);
  });
});
