import { RTP_PAYLOAD } from '../../../protocol/webrtc.js';

/**
 * The FFmpeg legs of WebRTC, as pure functions (tested on exact output):
 * - a WHIP publisher's RTP is forwarded over loopback UDP to an FFmpeg that reads it through an
 *   SDP file, copies H.264, turns Opus into AAC and publishes FLV to this node's RTMP server under
 *   a one-time relay name, so the live ladder, LL-HLS and the replay take it like any publish;
 * - an RTMP or SRT stream is pulled from this node's RTMP server by an FFmpeg that encodes H.264
 *   without B-frames (SPS/PPS before every IDR) and AAC to Opus, sent as RTP to loopback UDP
 *   ports where ingest forwards it to WHEP viewers.
 */

/** Loopback UDP ports of one RTP leg (RTCP goes to port + 1). */
export interface RtpPorts {
  video: number;
  audio: number;
}

/** The SDP FFmpeg reads a WHIP publisher's forwarded RTP with. */
export function whipRelaySdp(ports: RtpPorts): string {
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=vidra-whip',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=video ${ports.video} RTP/AVP ${RTP_PAYLOAD.h264}`,
    `a=rtpmap:${RTP_PAYLOAD.h264} H264/90000`,
    `a=fmtp:${RTP_PAYLOAD.h264} packetization-mode=1`,
    `m=audio ${ports.audio} RTP/AVP ${RTP_PAYLOAD.opus}`,
    `a=rtpmap:${RTP_PAYLOAD.opus} opus/48000/2`,
    '',
  ].join('\n');
}

/** Arguments after `ffmpeg` for the WHIP relay: SDP in, FLV (H.264 copy, AAC) out. */
export function whipRelayArgs(input: { sdpPath: string; publishUrl: string }): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'warning'],
    ...['-protocol_whitelist', 'file,udp,rtp', '-fflags', '+genpts'],
    ...['-analyzeduration', '3000000', '-reorder_queue_size', '64'],
    ...['-i', input.sdpPath],
    ...['-map', '0:v:0', '-map', '0:a:0?'],
    ...['-c:v', 'copy', '-c:a', 'aac', '-b:a', '128k', '-ar', '48000'],
    ...['-f', 'flv', input.publishUrl],
  ];
}

/**
 * Arguments after `ffmpeg` for WHEP from an RTMP/SRT source: pull `pullUrl`, send H.264
 * (constrained baseline, no B-frames, 1 s GOP, headers repeated) and Opus as RTP.
 */
export function whepSourceArgs(input: { pullUrl: string; ports: RtpPorts; preset: string }): string[] {
  const rtp = (port: number) => `rtp://127.0.0.1:${port}?pkt_size=1200`;
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'warning'],
    ...['-fflags', 'nobuffer', '-flags', 'low_delay', '-i', input.pullUrl],
    ...['-map', '0:v:0', '-c:v', 'libx264', '-preset', input.preset, '-tune', 'zerolatency'],
    ...['-profile:v', 'baseline', '-bf', '0', '-pix_fmt', 'yuv420p'],
    ...['-force_key_frames', 'expr:gte(t,n_forced*1)', '-x264-params', 'repeat-headers=1'],
    ...['-payload_type', String(RTP_PAYLOAD.h264), '-f', 'rtp', rtp(input.ports.video)],
    ...['-map', '0:a:0?', '-c:a', 'libopus', '-ar', '48000', '-ac', '2', '-b:a', '96k'],
    ...['-application', 'lowdelay', '-frame_duration', '20'],
    ...['-payload_type', String(RTP_PAYLOAD.opus), '-f', 'rtp', rtp(input.ports.audio)],
  ];
}
