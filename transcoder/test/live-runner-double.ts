import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type LiveStateInput, LiveStateInputSchema } from '../../protocol/live.js';

/** A file the live job pushed, with when it arrived. */
export interface PushedFile {
  rendition: string;
  file: string;
  bytes: Buffer;
  at: number;
}

/** A state the live job pushed, validated, with when it arrived and the files already there. */
export interface PushedState {
  state: LiveStateInput;
  at: number;
  /** `<rendition>/<file>` of every file received before this state. */
  filesBefore: Set<string>;
}

/**
 * A loopback double of the origin's runner live endpoints (protocol/live.ts, the live data path):
 * `PUT /api/v1/runners/jobs/:id/live/files/<rendition>/<file>` and `PUT .../live/state`, the body
 * checked with `LiveStateInputSchema`. The real endpoints are the origin's live hub.
 */
export class LiveRunnerDouble {
  readonly files: PushedFile[] = [];
  readonly states: PushedState[] = [];
  readonly invalidStates: unknown[] = [];
  /** Answer 409 (lease gone) to everything from now on. */
  leaseLost = false;
  readonly #received = new Set<string>();
  #server: Server | undefined;
  url = '';

  constructor(readonly jobId: string) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.#handle(req, res));
    this.#server = server;
    this.url = await new Promise<string>((resolve) =>
      server.listen(0, '127.0.0.1', () =>
        resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
      ),
    );
  }

  async stop(): Promise<void> {
    const server = this.#server;
    server?.closeAllConnections();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const send = (status: number, json?: unknown) => {
      if (json === undefined) res.writeHead(status).end();
      else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    };
    const prefix = `/api/v1/runners/jobs/${this.jobId}/live/`;
    if (req.method !== 'PUT' || !req.url?.startsWith(prefix))
      return send(404, { error: { code: 'not_found' } });
    if (this.leaseLost) return send(409, { error: { code: 'lease_gone', message: 'lease lost' } });
    const rest = req.url.slice(prefix.length);
    const file = rest.match(/^files\/([a-z0-9_-]+)\/([A-Za-z0-9_.-]+)$/);
    if (file?.[1] && file[2]) {
      this.files.push({ rendition: file[1], file: file[2], bytes: body, at: Date.now() });
      this.#received.add(`${file[1]}/${file[2]}`);
      return send(204);
    }
    if (rest === 'state') {
      const parsed = LiveStateInputSchema.safeParse(JSON.parse(body.toString('utf8')));
      if (!parsed.success) {
        this.invalidStates.push(parsed.error.issues);
        return send(400, { error: { code: 'bad_request', message: parsed.error.message } });
      }
      this.states.push({ state: parsed.data, at: Date.now(), filesBefore: new Set(this.#received) });
      return send(204);
    }
    send(404, { error: { code: 'not_found' } });
  }
}
