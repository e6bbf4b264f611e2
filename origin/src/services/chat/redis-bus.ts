import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import {
  type ChatBusEvent,
  ChatBusEventSchema,
  chatStreamKey,
  chatWakeKey,
} from '../../../../protocol/chat.js';
import type { ChatBus, RoomListener } from './bus.js';

/** How far back a newly joined room is read from, covering clock skew between origin and Redis. */
const JOIN_LOOKBACK_MS = 5000;
type Client = ReturnType<typeof createClient>;
/** `XREAD` reply in RESP2: `[[key, [[id, [field, value, ...]], ...]], ...]`, or null on timeout. */
type XReadReply = Array<[string, Array<[string, string[]]>]> | null;

export interface RedisChatBusOptions {
  url: string;
  /** Events kept per room stream (`MAXLEN ~`); history lives in PostgreSQL, not here. */
  maxLen?: number;
  /** How long one blocking `XREAD` waits before it looks at its room list again. */
  blockMs?: number;
  onError?: (error: unknown) => void;
}

interface Room {
  /** Id of the last entry this origin read from the room's stream. */
  cursor: string;
  listeners: Set<RoomListener>;
}

/**
 * Rooms across origins (issue 11): each room is one Redis Stream, and every origin reads the rooms
 * its clients are in with one blocking `XREAD` over all of them, with its own cursor per room. Not
 * a consumer group: a group load-balances entries between origins, and every origin needs all.
 *
 * Redis going away: publishing fails fast (the client then gets an `error`, never a false `ack`),
 * the reader retries with backoff, and once back it reads each room again from the start of what
 * Redis kept (a restarted Redis may have restarted its ids below our cursors); the hub drops
 * entries it already delivered by message id.
 */
export class RedisChatBus implements ChatBus {
  readonly #commands: Client;
  readonly #reader: Client;
  readonly #rooms = new Map<string, Room>();
  readonly #originId = randomUUID();
  readonly #maxLen: number;
  readonly #blockMs: number;
  #wakeCursor = '$';
  #closed = false;
  #loop: Promise<void> | undefined;
  #lostConnection = false;
  #started: Promise<void>;

  constructor(private readonly options: RedisChatBusOptions) {
    const socket = { connectTimeout: 2000, reconnectStrategy: (n: number) => Math.min(50 * 2 ** n, 2000) };
    this.#commands = createClient({ url: options.url, disableOfflineQueue: true, socket });
    this.#reader = createClient({ url: options.url, disableOfflineQueue: true, socket });
    this.#maxLen = options.maxLen ?? 1000;
    this.#blockMs = options.blockMs ?? 5000;
    this.#started = this.#start();
    this.#started.catch((error: unknown) => options.onError?.(error));
    for (const client of [this.#commands, this.#reader]) {
      client.on('error', () => {
        this.#lostConnection = true;
      });
    }
  }

  /** Connects both clients (retrying in the background) and starts the reader loop. */
  #start(): Promise<void> {
    const connected = Promise.all([this.#commands.connect(), this.#reader.connect()]).then(() => {});
    this.#loop = connected.then(
      () => this.#read(),
      () => {},
    );
    return connected;
  }

  /** Wait (a little, once) for the first connection, so an origin that just started can publish. */
  async ready(timeoutMs = 2000): Promise<boolean> {
    await Promise.race([this.#started.catch(() => {}), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    return this.#commands.isReady;
  }

  async publish(videoId: string, event: ChatBusEvent): Promise<void> {
    if (!this.#commands.isReady && !(await this.ready(1000)))
      throw new Error('Redis is not reachable for chat');
    await this.#commands.sendCommand([
      'XADD',
      chatStreamKey(videoId),
      'MAXLEN',
      '~',
      String(this.#maxLen),
      '*',
      'o',
      this.#originId,
      'e',
      JSON.stringify(event),
    ]);
    // This origin's own clients hear it now, not after a round trip through XREAD (the reader
    // skips entries this origin wrote). Only once Redis took it: an event is never shown locally
    // that the other origins will not see.
    for (const listener of this.#rooms.get(videoId)?.listeners ?? []) listener(event);
  }

  join(videoId: string, listener: RoomListener): () => void {
    let room = this.#rooms.get(videoId);
    if (!room) {
      // '$' would be resolved only when the next XREAD runs, losing what comes before it. Start a
      // little in the past instead (stream ids are Redis's clock in ms); the hub drops repeats.
      room = { cursor: `${Date.now() - JOIN_LOOKBACK_MS}-0`, listeners: new Set() };
      this.#rooms.set(videoId, room);
      this.#wake();
    }
    room.listeners.add(listener);
    const current = room;
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size === 0 && this.#rooms.get(videoId) === current) this.#rooms.delete(videoId);
    };
  }

  /** Interrupt the blocking read so that it includes a newly joined room at once. */
  #wake(): void {
    if (!this.#commands.isReady) return;
    this.#commands
      .sendCommand(['XADD', chatWakeKey(this.#originId), 'MAXLEN', '~', '10', '*', 'w', '1'])
      .catch(() => {});
  }

  async #read(): Promise<void> {
    let failures = 0;
    while (!this.#closed) {
      try {
        if (this.#lostConnection && this.#reader.isReady) this.#recover();
        const rooms = [...this.#rooms.entries()];
        const keys = [chatWakeKey(this.#originId), ...rooms.map(([id]) => chatStreamKey(id))];
        const ids = [this.#wakeCursor, ...rooms.map(([, room]) => room.cursor)];
        const reply = (await this.#reader.sendCommand([
          'XREAD',
          'COUNT',
          '1000',
          'BLOCK',
          String(this.#blockMs),
          'STREAMS',
          ...keys,
          ...ids,
        ])) as XReadReply;
        failures = 0;
        for (const [key, entries] of reply ?? []) this.#deliver(key, entries);
      } catch (error) {
        if (this.#closed) return;
        this.#lostConnection = true;
        failures += 1;
        if (failures === 1) this.options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** failures, 2000)));
      }
    }
  }

  #deliver(key: string, entries: Array<[string, string[]]>): void {
    const last = entries.at(-1)?.[0];
    if (key === chatWakeKey(this.#originId)) {
      if (last) this.#wakeCursor = last;
      return;
    }
    const videoId = key.slice(chatStreamKey('').length);
    const room = this.#rooms.get(videoId);
    if (!room || !last) return;
    room.cursor = last;
    for (const [, fields] of entries) {
      if (fieldOf(fields, 'o') === this.#originId) continue;
      const parsed = ChatBusEventSchema.safeParse(parseJson(fieldOf(fields, 'e')));
      if (!parsed.success) continue; // a foreign or garbled entry never stops the room
      for (const listener of room.listeners) listener(parsed.data);
    }
  }

  /** Back from an outage: read every room from the start of what Redis kept (the hub dedupes). */
  #recover(): void {
    this.#lostConnection = false;
    this.#wakeCursor = '0-0';
    for (const room of this.#rooms.values()) room.cursor = '0-0';
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#rooms.clear();
    // The reader is likely inside a blocking XREAD: drop it rather than wait for the block to end.
    try {
      this.#reader.destroy();
    } catch {
      // never connected
    }
    await this.#commands.close().catch(() => {});
    await this.#loop?.catch(() => {});
  }
}

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? 'null');
  } catch {
    return null;
  }
}

/** A field's value in an entry's flat `[field, value, ...]` list. */
function fieldOf(fields: string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
