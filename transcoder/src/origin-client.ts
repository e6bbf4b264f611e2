import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { z } from 'zod';
import type { LiveStateInput } from '../../protocol/live.js';
import {
  type AcceptedJobEnvelope,
  AcceptedJobEnvelopeSchema,
  type FailInput,
  type JobKind,
  JobOfferSchema,
  type PublishInput,
  PublishOutcomeSchema,
  RegisteredRunnerSchema,
} from '../../protocol/runner.js';

/** A non-2xx answer from the origin, with the JSON error message when there is one. */
export class OriginError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The origin's own words (its JSON error message), when it sent some. */
    readonly reason?: string,
  ) {
    super(message);
  }
}

/**
 * The origin's `lease_gone`: this runner no longer holds the job (its lease went, or the video was
 * deleted). Any job-scoped call may hear it first; the work must stop, and it is not a failure.
 */
export class LeaseLostError extends OriginError {}

/**
 * The transcoder's side of the runner protocol, over plain HTTP through the internal load
 * balancer. Transcoders never see the database.
 */
export class OriginClient {
  #token: string | undefined;

  constructor(private readonly baseUrl: string) {}

  async #call(
    method: string,
    path: string,
    init: { json?: unknown; body?: BodyInit; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      headers,
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      signal: init.signal,
      // Streaming request bodies need half-duplex in Node's fetch.
      ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    if (!res.ok) {
      const text = await res.text();
      let message = text;
      let reason: string | undefined;
      let code: unknown;
      try {
        ({ message: reason, code } = JSON.parse(text).error ?? {});
        message = reason ?? text;
      } catch {}
      const Failure = code === 'lease_gone' ? LeaseLostError : OriginError;
      throw new Failure(res.status, `${method} ${path}: ${res.status} ${message}`, reason);
    }
    return res;
  }

  async #json<T extends z.ZodType>(
    schema: T,
    method: string,
    path: string,
    json?: unknown,
    signal?: AbortSignal,
  ): Promise<z.infer<T>> {
    const res = await this.#call(method, path, { json, ...(signal ? { signal } : {}) });
    return schema.parse(await res.json());
  }

  async register(registrationToken: string, name: string): Promise<void> {
    const registered = await this.#json(RegisteredRunnerSchema, 'POST', '/api/v1/runners/register', {
      registrationToken,
      name,
    });
    this.#token = registered.runnerToken;
  }

  /** Long-poll for jobs of `kinds`: the origin offers nothing else. */
  async requestJobs(kinds: readonly JobKind[], waitSeconds: number, signal?: AbortSignal) {
    return (
      await this.#json(
        JobOfferSchema,
        'POST',
        `/api/v1/runners/jobs/request?wait=${waitSeconds}`,
        { kinds },
        signal,
      )
    ).jobs;
  }

  /**
   * The leased job, or undefined when another runner won it. Only the fields every kind shares are
   * checked here, so a job this runner cannot read can still be failed by id (see `jobs/`).
   */
  async accept(jobId: string): Promise<AcceptedJobEnvelope | undefined> {
    try {
      return await this.#json(AcceptedJobEnvelopeSchema, 'POST', `/api/v1/runners/jobs/${jobId}/accept`);
    } catch (error) {
      if (error instanceof OriginError && error.status === 409) return undefined;
      throw error;
    }
  }

  /** Heartbeat. False when the lease is gone and the work must stop. */
  async progress(jobId: string, progress: number): Promise<boolean> {
    try {
      await this.#call('POST', `/api/v1/runners/jobs/${jobId}/progress`, { json: { progress } });
      return true;
    } catch (error) {
      if (error instanceof OriginError && error.status === 409) return false;
      throw error;
    }
  }

  async downloadSource(job: { sourceUrl: string }, destination: string, signal?: AbortSignal): Promise<void> {
    const res = await this.#call('GET', job.sourceUrl, signal ? { signal } : {});
    if (!res.body) throw new Error('The origin sent an empty source');
    await pipeline(
      Readable.fromWeb(res.body as NodeReadableStream),
      createWriteStream(destination),
      signal ? { signal } : {},
    );
  }

  async uploadFile(
    job: { filesUrl: string },
    relativePath: string,
    filePath: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const { size } = await stat(filePath);
    await this.#call('PUT', `${job.filesUrl}${relativePath}`, {
      body: Readable.toWeb(createReadStream(filePath)) as ReadableStream,
      headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' },
      ...(signal ? { signal } : {}),
    });
  }

  async publish(job: { id: string }, stage: 'preview' | 'complete', outputs: PublishInput) {
    return (
      await this.#json(PublishOutcomeSchema, 'POST', `/api/v1/runners/jobs/${job.id}/${stage}`, outputs)
    ).outcome;
  }

  /**
   * A live file (init segment, part or finished segment) of one rendition: the origin keeps parts
   * for the live edge and stores inits and segments (protocol/live.ts, the live data path).
   */
  async putLiveFile(
    job: { id: string },
    rendition: string,
    file: string,
    bytes: Uint8Array,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.#call('PUT', `/api/v1/runners/jobs/${job.id}/live/files/${rendition}/${file}`, {
      body: bytes as Uint8Array<ArrayBuffer>,
      headers: { 'content-type': 'application/octet-stream' },
      ...(signal ? { signal } : {}),
    });
  }

  /** The packager state of every rendition; the origin renders the playlists from it. */
  async putLiveState(job: { id: string }, state: LiveStateInput, signal?: AbortSignal): Promise<void> {
    await this.#call('PUT', `/api/v1/runners/jobs/${job.id}/live/state`, {
      json: state,
      ...(signal ? { signal } : {}),
    });
  }

  async fail(job: { id: string }, failure: FailInput): Promise<void> {
    await this.#call('POST', `/api/v1/runners/jobs/${job.id}/fail`, { json: failure });
  }

  async release(job: { id: string }): Promise<void> {
    await this.#call('POST', `/api/v1/runners/jobs/${job.id}/release`);
  }
}
