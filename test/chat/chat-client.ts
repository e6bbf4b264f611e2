import WebSocket from 'ws';
import type { ServerFrame } from '../../protocol/chat.js';

/** A chat WebSocket for tests: every frame it received, and waits on them. */
export class TestChatSocket {
  readonly frames: ServerFrame[] = [];
  closed: { code: number; reason: string } | undefined;
  readonly #ws: WebSocket;
  readonly #waiters = new Set<() => void>();

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as ServerFrame);
      for (const wake of this.#waiters) wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      for (const wake of this.#waiters) wake();
    });
  }

  /** Connect and wait for the `history` frame; rejects with the HTTP status when refused. */
  static async open(
    baseUrl: string,
    videoId: string,
    auth: { token?: string; cookie?: string; headers?: Record<string, string> } = {},
  ): Promise<TestChatSocket> {
    const headers: Record<string, string> = { ...auth.headers };
    if (auth.token) headers.authorization = `Bearer ${auth.token}`;
    if (auth.cookie) headers.cookie = auth.cookie;
    const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/videos/${videoId}/chat`;
    const ws = new WebSocket(url, { headers });
    const socket = new TestChatSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new RefusedUpgrade(res.statusCode ?? 0)));
      ws.once('error', reject);
    });
    await socket.next((f) => f.type === 'history');
    return socket;
  }

  send(frame: unknown): void {
    this.#ws.send(JSON.stringify(frame));
  }

  /** The first frame (from `from` on) matching, waiting up to `timeoutMs`. */
  next<F extends ServerFrame>(
    match: (frame: ServerFrame) => frame is F,
    timeoutMs?: number,
    from?: number,
  ): Promise<F>;
  next(match: (frame: ServerFrame) => boolean, timeoutMs?: number, from?: number): Promise<ServerFrame>;
  next(match: (frame: ServerFrame) => boolean, timeoutMs = 5000, from = 0): Promise<ServerFrame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.frames.slice(from).find(match);
        if (found) {
          finish();
          resolve(found);
        } else if (this.closed) {
          finish();
          reject(new Error(`socket closed (${this.closed.code}) before the frame came`));
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`),
        );
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Send a message and wait for its `ack` or `error`. */
  async post(text: string, clientMsgId: string = crypto.randomUUID()): Promise<ServerFrame> {
    const from = this.frames.length;
    this.send({ type: 'message', text, clientMsgId });
    return this.next(
      (f) => (f.type === 'ack' || f.type === 'error') && 'clientMsgId' in f && f.clientMsgId === clientMsgId,
      5000,
      from,
    );
  }

  /** Wait for the socket to close. */
  async waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    await this.next(() => false, timeoutMs).catch(() => {});
    if (!this.closed) throw new Error('socket still open');
    return this.closed;
  }

  close(): void {
    this.#ws.close();
  }
}

export class RefusedUpgrade extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with ${status}`);
  }
}
