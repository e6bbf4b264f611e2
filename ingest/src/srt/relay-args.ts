/**
 * The FFmpeg command of one SRT listener, as a pure function. FFmpeg's SRT listener holds one
 * passphrase per port and, with `enforced_encryption`, rejects a caller with a wrong passphrase
 * at the handshake: no byte of its media is read. An accepted caller's MPEG-TS is copied, not
 * decoded, into FLV and published over loopback RTMP to this node's own RTMP server under a
 * one-time relay name (`SrtRelayNames`), so it takes the same path as an RTMP publish: the origin
 * authorizes it (`protocol: 'srt'`), it is republished under the session's `streamName`, and
 * its end is reported as a disconnect.
 */
export interface SrtRelayArgsInput {
  /** Address the listener binds. */
  host: string;
  port: number;
  /** The channel's current passphrase (10 to 79 characters, from `srt-listeners`). */
  passphrase: string;
  /** SRT receive latency in milliseconds (libsrt's default is 120). */
  latencyMs: number;
  /** `rtmp://<loopback>:<port>/live/<relay name>`. */
  publishUrl: string;
}

/** The SRT URL of a listener; FFmpeg takes SRT's `latency` in microseconds. */
export function srtListenerUrl(input: Pick<SrtRelayArgsInput, 'host' | 'port' | 'passphrase' | 'latencyMs'>) {
  const host = input.host.includes(':') && !input.host.startsWith('[') ? `[${input.host}]` : input.host;
  const query = new URLSearchParams({
    mode: 'listener',
    passphrase: input.passphrase,
    enforced_encryption: '1',
    latency: String(input.latencyMs * 1000),
  });
  return `srt://${host}:${input.port}?${query.toString()}`;
}

/** Arguments after `ffmpeg`. */
export function srtRelayArgs(input: SrtRelayArgsInput): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'warning',
    '-f',
    'mpegts',
    '-i',
    srtListenerUrl(input),
    '-map',
    '0:v:0',
    '-map',
    '0:a:0?',
    '-c',
    'copy',
    '-f',
    'flv',
    input.publishUrl,
  ];
}
