import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type LiveAuthorizeInput,
  LiveAuthorizeInputSchema,
  type LiveAuthorizeResult,
  LiveAuthorizeResultSchema,
  LiveDisconnectedInputSchema,
} from '../../protocol/live.js';

/** A channel the double knows: its key opens a session published under `streamName`. */
export interface DoubleChannel {
  key: string;
  channelId?: string;
  streamName?: string;
  /** Answer this late (to exceed the ingest's timeout). */
  delayMs?: number;
}

export interface AuthorizeCall {
  input: LiveAuthorizeInput;
  status: number;
  result?: LiveAuthorizeResult;
}

/**
 * A test double of the origin's two internal live endpoints, on loopback. It checks the internal
 * token and validates every body with the protocol schemas, so a contract drift fails the test.
 * The real endpoints are the origin's; an end-to-end suite runs ingest against them.
 */
export class OriginDouble {
  readonly authorizeCalls: AuthorizeCall[] = [];
  readonly disconnects: { sessionId: string; node: string; publisher?: number | undefined }[] = [];
  /** The last publisher number handed out per channel, as the origin counts them. */
  readonly #publishers = new Map<string, number>();
  readonly #channels = new Map<string, Required<Omit<DoubleChannel, 'delayMs'>> & { delayMs: number }>();
  readonly #server: Server;
  url = '';

  constructor(readonly token: string) {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  addChannel(channel: DoubleChannel): { channelId: string; streamName: string } {
    const full = {
      key: channel.key,
      channelId: channel.channelId ?? randomUUID(),
      streamName: channel.streamName ?? `s_${randomUUID().replaceAll('-', '')}`,
      delayMs: channel.delayMs ?? 0,
    };
    this.#channels.set(channel.key, full);
    return full;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return send(401, { error: { code: 'unauthorized' } });
    let json: unknown;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(400, { error: { code: 'bad_request' } });
    }
    if (req.method === 'POST' && req.url === '/internal/v1/live/authorize') {
      const input = LiveAuthorizeInputSchema.safeParse(json);
      if (!input.success) return send(400, { error: { code: 'bad_request' } });
      const channel = this.#channels.get(input.data.streamKey);
      if (!channel) {
        this.authorizeCalls.push({ input: input.data, status: 403 });
        return send(403, { error: { code: 'forbidden', message: 'unknown stream key' } });
      }
      const result = LiveAuthorizeResultSchema.parse({
        sessionId: randomUUID(),
        channelId: channel.channelId,
        videoId: randomUUID(),
        resumed: false,
        streamName: channel.streamName,
        publisher: (this.#publishers.get(channel.channelId) ?? 0) + 1,
      });
      this.#publishers.set(channel.channelId, result.publisher);
      this.authorizeCalls.push({ input: input.data, status: 200, result });
      if (channel.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, channel.delayMs));
      return send(200, result);
    }
    const disconnected = req.url?.match(/^\/internal\/v1\/live\/sessions\/([^/]+)\/disconnected$/);
    if (req.method === 'POST' && disconnected?.[1]) {
      const input = LiveDisconnectedInputSchema.safeParse(json);
      if (!input.success) return send(400, { error: { code: 'bad_request' } });
      this.disconnects.push({
        sessionId: decodeURIComponent(disconnected[1]),
        node: input.data.node,
        publisher: input.data.publisher,
      });
      res.writeHead(204).end();
      return;
    }
    send(404, { error: { code: 'not_found' } });
  }
}
