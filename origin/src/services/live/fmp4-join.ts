/**
 * Joins the recorded fragments of one live rendition into one fragmented MP4: the init segment,
 * then every fragment (moof + mdat) in msn order. Each new FFmpeg of the live job (a reconnect, a
 * watchdog restart) starts its media time afresh, so the `tfdt` of every track is rewritten to
 * continue where the previous run ended: the joined file has one gap-free timeline and its
 * duration is the sum of what was recorded. Pure: no I/O. Only boxes it needs are read; with
 * `default_base_moof` the data offsets are relative to the moof, so patching `tfdt` in place
 * leaves them right.
 */

interface Box {
  type: string;
  /** Offset of the box's header in the buffer. */
  start: number;
  /** Offset of its payload. */
  body: number;
  end: number;
}

interface TrackInfo {
  timescale: number;
  defaultDuration: number;
  video: boolean;
}

interface TrackTimeline {
  /** Raw (as recorded) end of the last fragment of this track. */
  rawEnd: number;
  /** End in the joined timeline. */
  joinedEnd: number;
  /** Added to every raw tfdt of the current run. */
  shift: number;
  /** A new run began and this track has not had a fragment in it yet. */
  rebase: boolean;
}

export class Fmp4JoinError extends Error {
  override name = 'Fmp4JoinError';
}

const MAX_U32 = 0xffff_ffff;

function* boxes(bytes: Uint8Array, from: number, to: number): Generator<Box> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = from;
  while (at + 8 <= to) {
    let size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    let body = at + 8;
    if (size === 1) {
      size = Number(view.getBigUint64(at + 8));
      body = at + 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < body - at || at + size > to) throw new Fmp4JoinError(`truncated ${type} box at ${at}`);
    yield { type, start: at, body, end: at + size };
    at += size;
  }
}

const child = (bytes: Uint8Array, parent: Box, type: string) =>
  [...boxes(bytes, parent.body, parent.end)].find((b) => b.type === type);
const children = (bytes: Uint8Array, parent: Box, type: string) =>
  [...boxes(bytes, parent.body, parent.end)].filter((b) => b.type === type);

const viewOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Track id -> timescale, trex default sample duration and whether it is video, from ftyp + moov. */
export function readInitTracks(init: Uint8Array): Map<number, TrackInfo> {
  const view = viewOf(init);
  const moov = [...boxes(init, 0, init.byteLength)].find((b) => b.type === 'moov');
  if (!moov) throw new Fmp4JoinError('init segment without moov');
  const tracks = new Map<number, TrackInfo>();
  for (const trak of children(init, moov, 'trak')) {
    const tkhd = child(init, trak, 'tkhd');
    const mdia = child(init, trak, 'mdia');
    const mdhd = mdia && child(init, mdia, 'mdhd');
    const hdlr = mdia && child(init, mdia, 'hdlr');
    if (!tkhd || !mdhd) throw new Fmp4JoinError('trak without tkhd or mdhd');
    const id = view.getUint32(tkhd.body + (init[tkhd.body] === 1 ? 20 : 12));
    const timescale = view.getUint32(mdhd.body + (init[mdhd.body] === 1 ? 20 : 12));
    const handler = hdlr ? String.fromCharCode(...init.subarray(hdlr.body + 8, hdlr.body + 12)) : '';
    tracks.set(id, { timescale, defaultDuration: 0, video: handler === 'vide' });
  }
  const mvex = child(init, moov, 'mvex');
  for (const trex of mvex ? children(init, mvex, 'trex') : []) {
    const track = tracks.get(view.getUint32(trex.body + 4));
    if (track) track.defaultDuration = view.getUint32(trex.body + 12);
  }
  if (tracks.size === 0) throw new Fmp4JoinError('init segment without tracks');
  return tracks;
}

/** What one traf of a fragment says about its track's timing. */
interface TrafTiming {
  trackId: number;
  /** Offset of the tfdt box and its version, to patch the decode time in place. */
  tfdt: { at: number; version: number };
  decodeTime: number;
  duration: number;
}

function trafTimings(bytes: Uint8Array, moof: Box, tracks: Map<number, TrackInfo>): TrafTiming[] {
  const view = viewOf(bytes);
  const out: TrafTiming[] = [];
  for (const traf of children(bytes, moof, 'traf')) {
    const tfhd = child(bytes, traf, 'tfhd');
    const tfdt = child(bytes, traf, 'tfdt');
    if (!tfhd || !tfdt) throw new Fmp4JoinError('traf without tfhd or tfdt');
    const flags = view.getUint32(tfhd.body) & 0xffffff;
    const trackId = view.getUint32(tfhd.body + 4);
    let at = tfhd.body + 8;
    if (flags & 0x01) at += 8; // base data offset
    if (flags & 0x02) at += 4; // sample description index
    const defaultDuration = flags & 0x08 ? view.getUint32(at) : (tracks.get(trackId)?.defaultDuration ?? 0);
    const version = bytes[tfdt.body] as number;
    const decodeTime =
      version === 1 ? Number(view.getBigUint64(tfdt.body + 4)) : view.getUint32(tfdt.body + 4);
    let duration = 0;
    for (const trun of children(bytes, traf, 'trun')) {
      const trunFlags = view.getUint32(trun.body) & 0xffffff;
      const count = view.getUint32(trun.body + 4);
      let p = trun.body + 8;
      if (trunFlags & 0x01) p += 4; // data offset
      if (trunFlags & 0x04) p += 4; // first sample flags
      const stride =
        (trunFlags & 0x100 ? 4 : 0) +
        (trunFlags & 0x200 ? 4 : 0) +
        (trunFlags & 0x400 ? 4 : 0) +
        (trunFlags & 0x800 ? 4 : 0);
      if (!(trunFlags & 0x100)) duration += count * defaultDuration;
      else for (let i = 0; i < count; i++) duration += view.getUint32(p + i * stride);
    }
    out.push({ trackId, tfdt: { at: tfdt.body, version }, decodeTime, duration });
  }
  return out;
}

/**
 * Appends recorded segments (each one or more moof + mdat) to one timeline. A fragment whose
 * timing track starts more than `toleranceSeconds` away from where that track's previous fragment
 * ended begins a new run (a new FFmpeg): every track's times are shifted to continue the joined
 * timeline.
 */
export class Fmp4Joiner {
  readonly #tracks: Map<number, TrackInfo>;
  readonly #timing: number;
  readonly #tolerance: number;
  readonly #timelines = new Map<number, TrackTimeline>();
  /** Runs seen so far (1 after the first fragment). */
  runs = 0;

  constructor(init: Uint8Array, options: { toleranceSeconds?: number } = {}) {
    this.#tracks = readInitTracks(init);
    const ids = [...this.#tracks.keys()];
    this.#timing = ids.find((id) => this.#tracks.get(id)?.video) ?? (ids[0] as number);
    this.#tolerance = options.toleranceSeconds ?? 0.5;
  }

  /** The segment's bytes with every tfdt rewritten onto the joined timeline (a new copy). */
  append(segment: Uint8Array): Uint8Array {
    const bytes = segment.slice();
    const view = viewOf(bytes);
    for (const box of boxes(bytes, 0, bytes.byteLength)) {
      if (box.type !== 'moof') continue;
      const timings = trafTimings(bytes, box, this.#tracks);
      const timing = timings.find((t) => t.trackId === this.#timing);
      if (timing) this.#detectRun(timing);
      for (const t of timings) {
        let line = this.#timelines.get(t.trackId);
        if (!line) {
          line = { rawEnd: t.decodeTime, joinedEnd: 0, shift: 0, rebase: true };
          this.#timelines.set(t.trackId, line);
        }
        if (line.rebase) {
          line.shift = line.joinedEnd - t.decodeTime;
          line.rebase = false;
        }
        const joined = t.decodeTime + line.shift;
        if (joined < 0 || (t.tfdt.version === 0 && joined > MAX_U32))
          throw new Fmp4JoinError(`decode time ${joined} does not fit the tfdt of track ${t.trackId}`);
        if (t.tfdt.version === 1) view.setBigUint64(t.tfdt.at + 4, BigInt(joined));
        else view.setUint32(t.tfdt.at + 4, joined);
        line.rawEnd = t.decodeTime + t.duration;
        line.joinedEnd = joined + t.duration;
      }
    }
    return bytes;
  }

  /** Whether `segment` would begin a new run (always true for the first one). Changes nothing. */
  startsNewRun(segment: Uint8Array): boolean {
    for (const box of boxes(segment, 0, segment.byteLength)) {
      if (box.type !== 'moof') continue;
      const timing = trafTimings(segment, box, this.#tracks).find((t) => t.trackId === this.#timing);
      return timing ? !this.#continues(timing) : false;
    }
    return false;
  }

  /** Seconds of the timing track (the first video track, else the first track) joined so far. */
  get durationSeconds(): number {
    const line = this.#timelines.get(this.#timing);
    return line ? line.joinedEnd / (this.#tracks.get(this.#timing)?.timescale || 1) : 0;
  }

  /** Whether this fragment's timing track continues the previous one; if not, a new run starts. */
  #continues(timing: TrafTiming): boolean {
    const line = this.#timelines.get(timing.trackId);
    const timescale = this.#tracks.get(timing.trackId)?.timescale || 1;
    return line !== undefined && Math.abs(timing.decodeTime - line.rawEnd) <= this.#tolerance * timescale;
  }

  #detectRun(timing: TrafTiming) {
    if (this.#continues(timing)) return;
    this.runs++;
    for (const other of this.#timelines.values()) other.rebase = true;
  }
}
