import { describe, expect, it } from 'vitest';
import { whepSourceArgs, whipRelayArgs, whipRelaySdp } from './ffmpeg-args.js';

describe('WebRTC FFmpeg legs', () => {
  it('describes the forwarded WHIP RTP to FFmpeg: H.264 on 96, Opus on 111, loopback only', () => {
    expect(whipRelaySdp({ video: 40000, audio: 40002 })).toBe(
      [
        'v=0',
        'o=- 0 0 IN IP4 127.0.0.1',
        's=vidra-whip',
        'c=IN IP4 127.0.0.1',
        't=0 0',
        'm=video 40000 RTP/AVP 96',
        'a=rtpmap:96 H264/90000',
        'a=fmtp:96 packetization-mode=1',
        'm=audio 40002 RTP/AVP 111',
        'a=rtpmap:111 opus/48000/2',
        '',
      ].join('\n'),
    );
  });

  it('relays WHIP to loopback RTMP: H.264 copied, Opus to AAC', () => {
    expect(whipRelayArgs({ sdpPath: '/tmp/in.sdp', publishUrl: 'rtmp://127.0.0.1:1935/live/relay' })).toEqual(
      [
        ...['-hide_banner', '-nostdin', '-loglevel', 'warning'],
        ...['-protocol_whitelist', 'file,udp,rtp', '-fflags', '+genpts'],
        ...['-analyzeduration', '3000000', '-reorder_queue_size', '64'],
        ...['-i', '/tmp/in.sdp', '-map', '0:v:0', '-map', '0:a:0?'],
        ...['-c:v', 'copy', '-c:a', 'aac', '-b:a', '128k', '-ar', '48000'],
        ...['-f', 'flv', 'rtmp://127.0.0.1:1935/live/relay'],
      ],
    );
  });

  it('packetises an RTMP stream for WHEP: H.264 without B-frames, headers repeated, AAC to Opus', () => {
    const args = whepSourceArgs({
      pullUrl: 'rtmp://127.0.0.1:1935/live/s1',
      ports: { video: 5000, audio: 5002 },
      preset: 'veryfast',
    });
    expect(args).toEqual([
      ...['-hide_banner', '-nostdin', '-loglevel', 'warning'],
      ...['-fflags', 'nobuffer', '-flags', 'low_delay', '-i', 'rtmp://127.0.0.1:1935/live/s1'],
      ...['-map', '0:v:0', '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency'],
      ...['-profile:v', 'baseline', '-bf', '0', '-pix_fmt', 'yuv420p'],
      ...['-force_key_frames', 'expr:gte(t,n_forced*1)', '-x264-params', 'repeat-headers=1'],
      ...['-payload_type', '96', '-f', 'rtp', 'rtp://127.0.0.1:5000?pkt_size=1200'],
      ...['-map', '0:a:0?', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '96k'],
      ...['-application', 'lowdelay', '-frame_duration', '20'],
      ...['-payload_type', '111', '-f', 'rtp', 'rtp://127.0.0.1:5002?pkt_size=1200'],
    ]);
  });
});
