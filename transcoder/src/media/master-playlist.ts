/** One `#EXT-X-STREAM-INF` entry of the master playlist. */
export interface MasterVariant {
  /** Peak bits per second, measured from the segments. */
  bandwidth: number;
  averageBandwidth: number;
  /** RFC 6381 codecs, e.g. `avc1.64001f,mp4a.40.2`. */
  codecs: string;
  /** Absent for audio-only variants. */
  resolution?: { width: number; height: number };
  frameRate?: number;
  /** Media playlist path relative to the master. */
  uri: string;
}

/**
 * Renders the master playlist. We write it ourselves rather than keep FFmpeg's because FFmpeg
 * guesses BANDWIDTH from target bitrates and writes neither exact CODECS nor FRAME-RATE, which
 * Safari and hls.js use to pick and switch renditions. Variants keep the given order.
 */
export function renderMasterPlaylist(variants: readonly MasterVariant[]): string {
  if (variants.length === 0) throw new Error('a master playlist needs at least one variant');
  const lines = ['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS'];
  for (const variant of variants) {
    if (!/^[^\s"]+$/.test(variant.uri)) throw new Error(`unsafe variant URI: ${variant.uri}`);
    const attributes = [
      `BANDWIDTH=${Math.ceil(variant.bandwidth)}`,
      `AVERAGE-BANDWIDTH=${Math.ceil(variant.averageBandwidth)}`,
      ...(variant.resolution ? [`RESOLUTION=${variant.resolution.width}x${variant.resolution.height}`] : []),
      `CODECS="${variant.codecs}"`,
      ...(variant.resolution && variant.frameRate ? [`FRAME-RATE=${variant.frameRate.toFixed(3)}`] : []),
    ];
    lines.push('', `#EXT-X-STREAM-INF:${attributes.join(',')}`, variant.uri);
  }
  return `${lines.join('\n')}\n`;
}

const AVCC = new TextEncoder().encode('avcC');

/**
 * The exact `avc1.PPCCLL` string of an H.264 init segment, read from its avcC box: profile,
 * constraint flags and level as the encoder wrote them (x264 picks the level from size and
 * bitrate, so it cannot be known in advance). Null when there is no avcC box.
 */
export function avcCodecFromInit(init: Uint8Array): string | null {
  for (let i = 4; i + 8 <= init.length; i++) {
    if (init[i] !== AVCC[0] || !AVCC.every((byte, j) => init[i + j] === byte)) continue;
    // The box body starts with configurationVersion (always 1) then profile, constraints, level.
    if (init[i + 4] !== 1) continue;
    const hex = [init[i + 5], init[i + 6], init[i + 7]].map((byte) =>
      (byte ?? 0).toString(16).padStart(2, '0'),
    );
    return `avc1.${hex.join('')}`;
  }
  return null;
}

/** AAC codec string from ffprobe's profile name; our own encodes are always AAC-LC. */
export function aacCodecString(profile?: string): string {
  if (profile === 'HE-AACv2') return 'mp4a.40.29';
  if (profile === 'HE-AAC') return 'mp4a.40.5';
  return 'mp4a.40.2';
}
