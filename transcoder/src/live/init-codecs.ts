import { aacCodecString, avcCodecFromInit } from '../media/master-playlist.js';

/** What an init segment (ftyp + moov) says about the stream, for the copy decision and the playlist. */
export interface InitFacts {
  /** `avc1.PPCCLL` when the video is H.264. */
  video: string | null;
  audio: 'aac' | 'other' | 'none';
  width?: number;
  height?: number;
  /** RFC 6381 codecs of the rendition, when both are known. */
  codecs?: string;
}

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0));

function indexOf(bytes: Uint8Array, needle: number[], from = 0): number {
  for (let i = from; i + needle.length <= bytes.length; i++) {
    if (needle.every((byte, j) => bytes[i + j] === byte)) return i;
  }
  return -1;
}

/** The object type of an mp4a sample entry's esds (0x40 is MPEG-4 audio, that is AAC). */
function esdsObjectType(bytes: Uint8Array, from: number): number | undefined {
  const esds = indexOf(bytes, ascii('esds'), from);
  if (esds < 0) return undefined;
  // Full box header (4), then descriptors: ES_Descriptor (0x03) holds DecoderConfig (0x04).
  for (let i = esds + 8; i < bytes.length - 1; i++) {
    if (bytes[i] !== 0x04) continue;
    let at = i + 1;
    while (at < bytes.length && ((bytes[at] ?? 0) & 0x80) !== 0) at++;
    return bytes[at + 1];
  }
  return undefined;
}

/** Reads the sample entries of an init segment. Pure: a byte scan, like `avcCodecFromInit`. */
export function describeInit(init: Uint8Array): InitFacts {
  const video = avcCodecFromInit(init);
  // Sample entries live in stsd; `avc1` is also an ftyp brand.
  const stsd = Math.max(0, indexOf(init, ascii('stsd')));
  const mp4a = indexOf(init, ascii('mp4a'), stsd);
  const hasOtherAudio = indexOf(init, ascii('soun')) >= 0;
  const audio = mp4a >= 0 && esdsObjectType(init, mp4a) === 0x40 ? 'aac' : hasOtherAudio ? 'other' : 'none';
  const facts: InitFacts = { video, audio };
  const avc1 = indexOf(init, ascii('avc1'), stsd);
  // VisualSampleEntry: 6 reserved, data reference index, 16 bytes pre-defined, then width, height.
  const at = avc1 + 4 + 24;
  if (avc1 >= 0 && at + 4 <= init.length) {
    facts.width = ((init[at] ?? 0) << 8) | (init[at + 1] ?? 0);
    facts.height = ((init[at + 2] ?? 0) << 8) | (init[at + 3] ?? 0);
  }
  if (video) facts.codecs = audio === 'aac' ? `${video},${aacCodecString()}` : video;
  return facts;
}

/** Whether a live source can be copied into LL-HLS as it is: H.264 video, AAC or no audio. */
export const copyable = (facts: InitFacts): boolean => facts.video !== null && facts.audio !== 'other';

const boxType = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at + 4, at + 8));

/**
 * Length of the init segment at the start of FFmpeg's output (every top-level box up to and
 * including the moov), or undefined while the moov is not complete yet.
 */
export function initLength(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at + 8 <= bytes.length) {
    const size = view.getUint32(at);
    const length = size === 1 && at + 16 <= bytes.length ? Number(view.getBigUint64(at + 8)) : size;
    if (length < 8) return undefined;
    if (at + length > bytes.length) return undefined;
    const type = boxType(bytes, at);
    at += length;
    if (type === 'moov') return at;
  }
  return undefined;
}
