import { type RevocationFeed, RevocationFeedSchema } from '../../protocol/api/internal.js';
import {
  type LiveAuthorizeInput,
  LiveAuthorizeInputSchema,
  type LiveAuthorizeResult,
  LiveAuthorizeResultSchema,
  LiveDisconnectedInputSchema,
  type LiveSrtListeners,
  LiveSrtListenersSchema,
} from '../../protocol/live.js';

/** Why a publish was not authorized. Every one of them means: drop the publisher. */
export type RefusalReason = 'refused' | 'timeout' | 'unreachable' | 'bad-answer';

export type AuthorizeOutcome =
  | { ok: true; result: LiveAuthorizeResult }
  | { ok: false; reason: RefusalReason; status?: number };

export interface IngestOriginClientOptions {
  baseUrl: string;
  internalToken: string;
  /** Per call; no answer in time fails closed. */
  timeoutMs: number;
  fetch?: typeof fetch;
}

/**
 * The ingest node's side of `/internal/v1/live/*`. `authorize` never throws: anything but a 200
 * with a valid body is a refusal, so a slow or broken origin lets no stream in.
 */
export class IngestOriginClient {
  readonly #options: IngestOriginClientOptions;
  readonly #fetch: typeof fetch;

  constructor(options: IngestOriginClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
  }

  /** Ask whether this key may publish now. */
  async authorize(input: LiveAuthorizeInput): Promise<AuthorizeOutcome> {
    const body = LiveAuthorizeInputSchema.parse(input);
    let response: Response;
    try {
      response = await this.#post('/internal/v1/live/authorize', body);
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      return { ok: false, reason: timedOut ? 'timeout' : 'unreachable' };
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      return { ok: false, reason: 'refused', status: response.status };
    }
    try {
      const parsed = LiveAuthorizeResultSchema.safeParse(await response.json());
      if (parsed.success) return { ok: true, result: parsed.data };
    } catch (error) {
      // A body cut by the timeout is as good as no answer.
      if ((error as Error).name === 'TimeoutError') return { ok: false, reason: 'timeout' };
    }
    return { ok: false, reason: 'bad-answer', status: 200 };
  }

  /** Tell the origin the publisher of a session went away; it runs the reconnect window. */
  async disconnected(sessionId: string, node: string, publisher?: number): Promise<void> {
    const body = LiveDisconnectedInputSchema.parse({ node, ...(publisher ? { publisher } : {}) });
    const response = await this.#post(
      `/internal/v1/live/sessions/${encodeURIComponent(sessionId)}/disconnected`,
      body,
    );
    await response.body?.cancel();
    if (!response.ok) throw new Error(`origin answered ${response.status} to disconnected`);
  }

  /** The SRT listeners this node should run (port, channel, current passphrase). Throws on failure. */
  async srtListeners(): Promise<LiveSrtListeners> {
    const response = await this.#fetch(new URL('/internal/v1/live/srt-listeners', this.#options.baseUrl), {
      headers: { authorization: `Bearer ${this.#options.internalToken}` },
      signal: AbortSignal.timeout(this.#options.timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`origin answered ${response.status} to srt-listeners`);
    }
    return LiveSrtListenersSchema.parse(await response.json());
  }

  /** Playback revocations after `after` (the edge's feed). Throws on failure. */
  async revocations(after: number): Promise<RevocationFeed> {
    const url = new URL('/internal/v1/revocations', this.#options.baseUrl);
    url.searchParams.set('after', String(after));
    const response = await this.#fetch(url, {
      headers: { authorization: `Bearer ${this.#options.internalToken}` },
      signal: AbortSignal.timeout(this.#options.timeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`origin answered ${response.status} to revocations`);
    }
    return RevocationFeedSchema.parse(await response.json());
  }

  #post(path: string, json: unknown): Promise<Response> {
    return this.#fetch(new URL(path, this.#options.baseUrl), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.#options.internalToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(json),
      signal: AbortSignal.timeout(this.#options.timeoutMs),
    });
  }
}
