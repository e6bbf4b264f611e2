/**
 * A streaming reader of the fragmented MP4 that FFmpeg writes to a pipe
 * (`-f mp4 -movflags empty_moov+default_base_moof -frag_duration ...`): push byte chunks in, get
 * complete units out. The init segment (ftyp + moov) comes out once, then one unit per fragment
 * (moof + mdat) with the timing and keyframe facts the LL-HLS packager cuts on. Pure: no I/O.
 */

/** The init segment: what `EXT-X-MAP` points at. */
export interface InitUnit {
  kind: 'init';
  bytes: Uint8Array;
  /** Track the timing below is read from: the first video track, else the first track. */
  trackId: number;
  /** mdhd timescale of that track (ticks per second). */
  timescale: number;
}

/** One fragment (moof + mdat): one LL-HLS part. */
export interface FragmentUnit {
  kind: 'fragment';
  bytes: Uint8Array;
  /** tfdt of the timing track, in its timescale's ticks. */
  decodeTime: number;
  /** Sum of the timing track's sample durations, in ticks. */
  duration: number;
  decodeTimeSeconds: number;
  durationSeconds: number;
  /** Whether the timing track's first sample is a sync sample (a keyframe). */
  keyframe: boolean;
  /** How many samples (frames, for video) of the timing track the fragment holds. */
  samples: number;
}

export type Fmp4Unit = InitUnit | FragmentUnit;

interface Track {
  id: number;
  handler: string;
  timescale: number;
  defaultDuration: number;
  defaultFlags: number;
}

/** Boxes whose children we walk when looking for the ones we read. */
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'mvex', 'moof', 'traf']);
const HEADER = 8;

/** Thrown on bytes that are not the fragmented MP4 this reader understands. */
export class Fmp4Error extends Error {
  override name = 'Fmp4Error';
}

/**
 * Reader state: buffered bytes not yet forming a complete top-level box, the tracks read from the
 * moov, and the moof waiting for its mdat.
 */
export class Fmp4Reader {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #ftyp: Uint8Array | undefined;
  #tracks = new Map<number, Track>();
  #timing: Track | undefined;
  #moof: Uint8Array | undefined;

  /** Adds bytes from the pipe; returns every unit they complete, in order. */
  push(chunk: Uint8Array): Fmp4Unit[] {
    if (chunk.length > 0) {
      this.#chunks.push(chunk);
      this.#buffered += chunk.length;
    }
    const units: Fmp4Unit[] = [];
    for (let box = this.#takeBox(); box; box = this.#takeBox()) {
      const unit = this.#onBox(box);
      if (unit) units.push(unit);
    }
    return units;
  }

  /** Bytes received but not yet part of a complete top-level box. */
  get pendingBytes(): number {
    return this.#buffered;
  }

  #onBox(box: Uint8Array): Fmp4Unit | undefined {
    const type = boxType(box, 0);
    if (type === 'ftyp') this.#ftyp = box;
    else if (type === 'moov') return this.#onMoov(box);
    else if (type === 'moof') this.#moof = box;
    else if (type === 'mdat') return this.#onMdat(box);
    // Anything else at the top level (free, mfra at the end of the stream) carries no media.
    return undefined;
  }

  #onMoov(moov: Uint8Array): InitUnit {
    if (this.#timing) throw new Fmp4Error('a second moov: the stream restarted without a new reader');
    const view = viewOf(moov);
    const trexDefaults = new Map<number, { duration: number; flags: number }>();
    for (const trak of children(moov, HEADER, moov.length).filter((b) => b.type === 'trak')) {
      const track: Track = { id: 0, handler: '', timescale: 0, defaultDuration: 0, defaultFlags: 0 };
      walk(moov, trak.start + HEADER, trak.end, (type, start) => {
        const body = start + HEADER;
        if (type === 'tkhd') track.id = view.getUint32(body + (moov[body] === 1 ? 20 : 12));
        else if (type === 'mdhd') track.timescale = view.getUint32(body + (moov[body] === 1 ? 20 : 12));
        else if (type === 'hdlr') track.handler = boxType(moov, body + 4); // pre_defined, then handler_type
      });
      this.#tracks.set(track.id, track);
    }
    walk(moov, HEADER, moov.length, (type, start) => {
      if (type !== 'trex') return;
      const body = start + HEADER + 4;
      trexDefaults.set(view.getUint32(body), {
        duration: view.getUint32(body + 8),
        flags: view.getUint32(body + 16),
      });
    });
    for (const track of this.#tracks.values()) {
      const defaults = trexDefaults.get(track.id);
      track.defaultDuration = defaults?.duration ?? 0;
      track.defaultFlags = defaults?.flags ?? 0;
    }
    const tracks = [...this.#tracks.values()];
    const timing = tracks.find((t) => t.handler === 'vide') ?? tracks[0];
    if (!timing || timing.timescale === 0) throw new Fmp4Error('moov has no track with a timescale');
    this.#timing = timing;
    const bytes = this.#ftyp ? concat([this.#ftyp, moov]) : moov;
    return { kind: 'init', bytes, trackId: timing.id, timescale: timing.timescale };
  }

  #onMdat(mdat: Uint8Array): FragmentUnit | undefined {
    const moof = this.#moof;
    if (!moof || !this.#timing) return undefined; // media before any moof/moov: not ours to cut
    this.#moof = undefined;
    const timing = readTiming(moof, this.#timing);
    return {
      kind: 'fragment',
      bytes: concat([moof, mdat]),
      ...timing,
      decodeTimeSeconds: timing.decodeTime / this.#timing.timescale,
      durationSeconds: timing.duration / this.#timing.timescale,
    };
  }

  /** The next complete top-level box, removed from the buffer, or undefined until more bytes come. */
  #takeBox(): Uint8Array | undefined {
    if (this.#buffered < HEADER) return undefined;
    const head = this.#peek(Math.min(16, this.#buffered));
    const view = viewOf(head);
    let size = view.getUint32(0);
    if (size === 1) {
      if (head.length < 16) return undefined;
      size = Number(view.getBigUint64(8));
    } else if (size === 0) {
      throw new Fmp4Error('a box that runs to the end of the file cannot be read from a pipe');
    }
    if (size < HEADER) throw new Fmp4Error(`box of impossible size ${size}`);
    if (this.#buffered < size) return undefined;
    return this.#take(size);
  }

  #peek(length: number): Uint8Array {
    const first = this.#chunks[0];
    if (first && first.length >= length) return first.subarray(0, length);
    const head: Uint8Array[] = [];
    let have = 0;
    for (const chunk of this.#chunks) {
      if (have >= length) break;
      head.push(chunk);
      have += chunk.length;
    }
    return concat(head).subarray(0, length);
  }

  #take(length: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let needed = length;
    while (needed > 0) {
      const chunk = this.#chunks[0] as Uint8Array;
      if (chunk.length <= needed) {
        parts.push(chunk);
        this.#chunks.shift();
        needed -= chunk.length;
      } else {
        parts.push(chunk.subarray(0, needed));
        this.#chunks[0] = chunk.subarray(needed);
        needed = 0;
      }
    }
    this.#buffered -= length;
    // Copy even a single chunk's slice so a unit never aliases a buffer the caller reuses.
    return concat(parts);
  }
}

/** tfdt, summed sample durations, sample count and first-sample keyframe flag of `track`'s traf in a moof. */
function readTiming(
  moof: Uint8Array,
  track: Track,
): { decodeTime: number; duration: number; keyframe: boolean; samples: number } {
  const view = viewOf(moof);
  for (const traf of children(moof, HEADER, moof.length).filter((b) => b.type === 'traf')) {
    let trackId = -1;
    let defaultDuration = track.defaultDuration;
    let defaultFlags = track.defaultFlags;
    let decodeTime = 0;
    let duration = 0;
    let samples = 0;
    let keyframe: boolean | undefined;
    for (const box of children(moof, traf.start + HEADER, traf.end)) {
      const body = box.start + HEADER;
      const version = moof[body] ?? 0;
      const flags = view.getUint32(body) & 0xffffff;
      if (box.type === 'tfhd') {
        trackId = view.getUint32(body + 4);
        let at = body + 8;
        if (flags & 0x01) at += 8; // base-data-offset
        if (flags & 0x02) at += 4; // sample-description-index
        if (flags & 0x08) defaultDuration = view.getUint32(at);
        if (flags & 0x08) at += 4;
        if (flags & 0x10) at += 4; // default-sample-size
        if (flags & 0x20) defaultFlags = view.getUint32(at);
      } else if (box.type === 'tfdt') {
        decodeTime = version === 1 ? Number(view.getBigUint64(body + 4)) : view.getUint32(body + 4);
      } else if (box.type === 'trun') {
        const count = view.getUint32(body + 4);
        samples += count;
        let at = body + 8;
        if (flags & 0x01) at += 4; // data-offset
        let firstFlags: number | undefined;
        if (flags & 0x04) {
          firstFlags = view.getUint32(at);
          at += 4;
        }
        for (let i = 0; i < count; i++) {
          let sampleFlags = defaultFlags;
          if (flags & 0x100) {
            duration += view.getUint32(at);
            at += 4;
          } else {
            duration += defaultDuration;
          }
          if (flags & 0x200) at += 4; // sample size
          if (flags & 0x400) {
            sampleFlags = view.getUint32(at);
            at += 4;
          }
          if (flags & 0x800) at += 4; // composition time offset
          if (i === 0 && keyframe === undefined) keyframe = isSync(firstFlags ?? sampleFlags);
        }
      }
    }
    if (trackId === track.id) return { decodeTime, duration, keyframe: keyframe ?? false, samples };
  }
  throw new Fmp4Error(`moof has no traf for track ${track.id}`);
}

/**
 * ISO/IEC 14496-12 sample flags: `sample_depends_on` (bits 24-25) is 2 for a sample that depends on
 * no other, 1 for one that does; `sample_is_non_sync_sample` is bit 16.
 */
function isSync(sampleFlags: number): boolean {
  const dependsOn = (sampleFlags >>> 24) & 0x3;
  const nonSync = (sampleFlags >>> 16) & 0x1;
  return nonSync === 0 && dependsOn !== 1;
}

interface BoxSpan {
  type: string;
  start: number;
  end: number;
}

/** Boxes directly inside `[start, end)` of `bytes` (32-bit sizes: inner boxes are small). */
function children(bytes: Uint8Array, start: number, end: number): BoxSpan[] {
  const view = viewOf(bytes);
  const spans: BoxSpan[] = [];
  for (let at = start; at + HEADER <= end; ) {
    const size = view.getUint32(at);
    if (size < HEADER || at + size > end) throw new Fmp4Error(`malformed box at byte ${at}`);
    spans.push({ type: boxType(bytes, at), start: at, end: at + size });
    at += size;
  }
  return spans;
}

/** Calls `visit` for every box in `[start, end)`, descending into containers. */
function walk(
  bytes: Uint8Array,
  start: number,
  end: number,
  visit: (type: string, start: number) => void,
): void {
  for (const box of children(bytes, start, end)) {
    visit(box.type, box.start);
    if (CONTAINERS.has(box.type)) walk(bytes, box.start + HEADER, box.end, visit);
  }
}

function boxType(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at + 4] ?? 0, bytes[at + 5] ?? 0, bytes[at + 6] ?? 0, bytes[at + 7] ?? 0);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
