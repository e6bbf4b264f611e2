import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HLS_FILES, hlsKey, renditionFile } from '../../../protocol/media.js';
import { type MediaPlaylist, parseMediaPlaylist, renderEventPlaylist } from '../media/hls-playlist.js';
import { describeRendition, type FinishedRendition, writeMaster } from '../media/outputs.js';
import type { LadderWatcher, RenditionSpec } from '../media/transcode.js';
import type { ProbeResult } from '../media/types.js';
import { toPublishInput } from './publish-input.js';
import type { JobContext } from './types.js';

/** How often the ladder folder is looked at: reading a few small playlists is cheap, waiting is not. */
export const PROGRESSIVE_POLL_MS = 250;
/** Where our EVENT playlists and master are written before upload, inside the job's scratch. */
const STAGING = '.progressive';

/** A rendition FFmpeg is writing, and its playlist as last written. */
export interface Growing {
  spec: RenditionSpec;
  playlist: MediaPlaylist & { mapUri: string };
}

/**
 * Every rendition's playlist as FFmpeg last wrote it into `outDir`, or undefined until each lists
 * a finished segment (or once FFmpeg ended them: the ladder's own publish follows at once).
 */
export async function readGrowingPlaylists(
  outDir: string,
  renditions: readonly RenditionSpec[],
): Promise<Growing[] | undefined> {
  const growing: Growing[] = [];
  for (const spec of renditions) {
    const file = path.join(outDir, renditionFile(spec.name, HLS_FILES.mediaPlaylist));
    const text = await readFile(file, 'utf8').catch(() => '');
    // FFmpeg rewrites the playlist in place: a half-written one is read again next time.
    if (!text.endsWith('\n')) return undefined;
    let playlist: MediaPlaylist;
    try {
      playlist = parseMediaPlaylist(text);
    } catch {
      return undefined;
    }
    const { mapUri } = playlist;
    if (!mapUri || playlist.segments.length === 0 || playlist.ended) return undefined;
    growing.push({ spec, playlist: { ...playlist, mapUri } });
  }
  return growing;
}

/**
 * Progressive publish of a ladder FFmpeg is still encoding (sources that cannot be stream-copied):
 * once every rendition has a finished segment, the segments, an EVENT playlist per rendition and
 * a master are uploaded, in that order, and published as the job's preview, so the video plays
 * while it encodes. Later segments follow as they finish; the ladder's `complete` replaces the
 * playlists with VOD ones. Any failure stops the watcher and aborts `signal` (so FFmpeg stops),
 * and `stop()` throws it: the attempt fails with the real reason, not "aborted".
 */
export class ProgressivePublisher implements LadderWatcher {
  readonly #abort = new AbortController();
  readonly #uploaded = new Set<string>();
  readonly #playlists = new Map<string, string>();
  #renditions: readonly RenditionSpec[] = [];
  #timer: NodeJS.Timeout | undefined;
  #tick: Promise<void> | undefined;
  #failure: { error: unknown } | undefined;
  #publishedAt: number | undefined;

  constructor(
    private readonly ctx: JobContext<'transcode'>,
    private readonly outDir: string,
    private readonly probe: ProbeResult,
    private readonly pollMs = PROGRESSIVE_POLL_MS,
  ) {}

  /** Aborted when publishing failed: combine it with the job's signal for FFmpeg. */
  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** When the preview was published (ms since the epoch), if it was. */
  get publishedAt(): number | undefined {
    return this.#publishedAt;
  }

  start(renditions: readonly RenditionSpec[]): void {
    this.#renditions = renditions;
    this.#timer = setInterval(() => {
      this.#tick ??= this.#publishFinished().finally(() => {
        this.#tick = undefined;
      });
    }, this.pollMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#tick;
    if (this.#failure) throw this.#failure.error;
  }

  async #publishFinished(): Promise<void> {
    if (this.#failure) return;
    try {
      const growing = await readGrowingPlaylists(this.outDir, this.#renditions);
      if (!growing) return;
      // Renditions side by side (the first publish waits on all of them), files in order within each.
      await Promise.all(growing.map((rendition) => this.#uploadMedia(rendition)));
      await Promise.all(growing.map((rendition) => this.#uploadPlaylist(rendition)));
      if (this.#publishedAt === undefined) await this.#publishPreview(growing);
    } catch (error) {
      this.#failure = { error };
      clearInterval(this.#timer);
      this.#abort.abort(error);
    }
  }

  async #upload(relative: string, local: string): Promise<void> {
    const { client, job, signal } = this.ctx;
    await client.uploadFile(job, hlsKey(relative), local, signal);
  }

  /** The init segment (under our name, as the ladder's final upload names it) and new segments. */
  async #uploadMedia({ spec, playlist }: Growing): Promise<void> {
    const dir = path.join(this.outDir, spec.name);
    const init = renditionFile(spec.name, HLS_FILES.init);
    if (!this.#uploaded.has(init)) {
      await this.#upload(init, path.join(dir, playlist.mapUri));
      this.#uploaded.add(init);
    }
    for (const segment of playlist.segments) {
      const file = renditionFile(spec.name, segment.uri);
      if (this.#uploaded.has(file)) continue;
      await this.#upload(file, path.join(dir, segment.uri));
      this.#uploaded.add(file);
    }
  }

  async #uploadPlaylist({ spec, playlist }: Growing): Promise<void> {
    const text = renderEventPlaylist({ ...playlist, mapUri: HLS_FILES.init });
    if (this.#playlists.get(spec.name) === text) return;
    const local = await this.#stage(`${spec.name}-${HLS_FILES.mediaPlaylist}`, text);
    await this.#upload(renditionFile(spec.name, HLS_FILES.mediaPlaylist), local);
    this.#playlists.set(spec.name, text);
  }

  /** The master (bandwidths measured on the segments so far) goes last, then the publish. */
  async #publishPreview(growing: Growing[]): Promise<void> {
    const finished: FinishedRendition[] = [];
    for (const { spec, playlist } of growing) {
      const rendition = await describeRendition(this.outDir, spec, playlist.segments, playlist.mapUri);
      finished.push({ rendition, durationSeconds: this.probe.durationSeconds, files: [] });
    }
    const stagingDir = path.join(this.outDir, STAGING);
    await mkdir(stagingDir, { recursive: true });
    const result = await writeMaster(stagingDir, this.probe, finished);
    await this.#upload(HLS_FILES.master, path.join(stagingDir, HLS_FILES.master));
    const { client, job, log } = this.ctx;
    const outcome = await client.publish(job, 'preview', {
      ...toPublishInput(result),
      durationSeconds: this.probe.durationSeconds,
    });
    this.#publishedAt = Date.now();
    log.info(
      { outcome, renditions: finished.length },
      'progressive publish: playable while the ladder encodes',
    );
  }

  async #stage(name: string, text: string): Promise<string> {
    const dir = path.join(this.outDir, STAGING);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  }
}
