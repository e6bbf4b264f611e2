import { jsx } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import { LiveDashboard } from './live-views.js';

const endpoint = {
  state: 'live' as const,
  videoId: '00000000-0000-4000-8000-000000000001',
  settings: { ladder: 'source' as const, record: true, dvrWindowSeconds: 1800 },
  rtmpUrl: 'rtmp://127.0.0.1:1935/live',
  srtHost: '127.0.0.1',
  srtPort: 9000,
  createdAt: '2026-12-01T12:00:00.000Z',
  keyRotatedAt: '2026-12-01T12:00:00.000Z',
};

const render = async (live: Parameters<typeof LiveDashboard>[0]['live']) =>
  String(await jsx(LiveDashboard, { handle: 'desk', endpoint, live }).toString());

describe('Go-live page: viewers and stream health while on air', () => {
  it('shows viewers, bitrate, frame rate, keyframe interval and drops', async () => {
    const page = await render({
      viewers: 3,
      health: { inputBitrate: 2_512_000, frameRate: 29.97, keyframeIntervalSeconds: 1, droppedFrames: 4 },
    });
    expect(page).toContain('<dd data-viewers="true">3</dd>');
    expect(page).toContain('<dd>2512 kbit/s</dd>');
    expect(page).toContain('<dd>29.97 fps</dd>');
    expect(page).toContain('<dd>1 s</dd>');
    expect(page).toContain('<dt>Dropped frames</dt><dd>4</dd>');
  });

  it('advises a 1 s keyframe interval when the encoder sends longer GOPs', async () => {
    const page = await render({
      viewers: 0,
      health: { inputBitrate: 1_000_000, frameRate: 30, keyframeIntervalSeconds: 2, droppedFrames: 0 },
    });
    expect(page).toContain('2 s (set it to 1 s for the lowest latency)');
  });

  it('says health is being measured before the transcoder reported, and shows nothing when off air', async () => {
    expect(await render({ viewers: 1, health: null })).toContain('<dd>measuring…</dd>');
    const idle = String(
      await jsx(LiveDashboard, {
        handle: 'desk',
        endpoint: { ...endpoint, state: 'idle', videoId: null },
      }).toString(),
    );
    expect(idle).not.toContain('data-stream-health');
  });
});
