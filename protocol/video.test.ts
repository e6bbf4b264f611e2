import { describe, expect, it } from 'vitest';
import { canTransition, nextStates, VIDEO_STATES, type VideoState } from './video.js';

describe('video state machine', () => {
  it('follows the pipeline created -> uploading -> queued -> transcoding -> ready', () => {
    const path: VideoState[] = ['created', 'uploading', 'queued', 'transcoding', 'ready'];
    for (let i = 1; i < path.length; i++)
      expect(canTransition(path[i - 1] as VideoState, path[i] as VideoState)).toBe(true);
  });

  it('can fail from uploading, queued and transcoding, and retry a failure', () => {
    for (const from of ['uploading', 'queued', 'transcoding'] as const)
      expect(canTransition(from, 'failed')).toBe(true);
    expect(canTransition('failed', 'queued')).toBe(true);
  });

  it('can delete from every state but deleted, and nothing leaves deleted', () => {
    for (const state of VIDEO_STATES) expect(canTransition(state, 'deleted')).toBe(state !== 'deleted');
    expect(nextStates('deleted')).toEqual([]);
  });

  it('never skips the pipeline or goes backwards into upload', () => {
    expect(canTransition('created', 'ready')).toBe(false);
    expect(canTransition('created', 'transcoding')).toBe(false);
    expect(canTransition('ready', 'uploading')).toBe(false);
    expect(canTransition('ready', 'failed')).toBe(false);
    expect(canTransition('failed', 'ready')).toBe(false);
  });

  it('goes live from created only, ends, and queues the ended live for its recording', () => {
    for (const from of VIDEO_STATES) expect(canTransition(from, 'live'), from).toBe(from === 'created');
    expect(nextStates('live')).toEqual(['ended', 'deleted']);
    expect(nextStates('ended')).toEqual(['queued', 'deleted']);
    for (const from of VIDEO_STATES) expect(canTransition(from, 'ended'), from).toBe(from === 'live');
  });

  it('never turns a live straight into a VOD or back into an upload', () => {
    for (const to of ['ready', 'queued', 'transcoding', 'uploading', 'failed', 'created'] as const)
      expect(canTransition('live', to), to).toBe(false);
    expect(canTransition('ended', 'live')).toBe(false);
    expect(canTransition('ended', 'ready')).toBe(false);
  });

  it('has no self-loops', () => {
    for (const state of VIDEO_STATES) expect(canTransition(state, state)).toBe(false);
  });
});
