import type { ChatBusEvent, ChatErrorCode, ServerFrame } from '../../../../protocol/chat.js';
import { NO_POSTS, type PostHistory } from './limits.js';
import type { RoomInfo } from './store.js';
import type { ChatClient } from './types.js';

export type { ChatClient } from './types.js';

/** Message ids a room remembers, to drop repeats (a bus re-read after an outage, the join look-back). */
const SEEN_LIMIT = 2000;

/** This origin's view of one room: its clients and the state every origin keeps in step through the bus. */
export class Room {
  readonly clients = new Set<ChatClient>();
  /** Clients waiting for their history: what is broadcast meanwhile waits for them, in order. */
  readonly #joining = new Map<ChatClient, ServerFrame[]>();
  /** Bans (null) and timeouts (until) by user id. */
  readonly sanctions: Map<string, Date | null>;
  readonly posts = new Map<string, PostHistory>();
  readonly #seen = new Set<string>();
  infoLoadedAt = Date.now();
  leaveBus: () => void = () => {};

  constructor(
    public info: RoomInfo,
    sanctions: Map<string, Date | null>,
  ) {
    this.sanctions = sanctions;
  }

  /** Whether a message id is new here (and remember it). */
  firstSight(id: string): boolean {
    if (this.#seen.has(id)) return false;
    this.#seen.add(id);
    if (this.#seen.size > SEEN_LIMIT) this.#seen.delete(this.#seen.values().next().value as string);
    return true;
  }

  postsOf(userId: string): PostHistory {
    return this.posts.get(userId) ?? NO_POSTS;
  }

  /** Why a user may not post right now, if a moderator said so. */
  sanctionOf(userId: string, now = Date.now()): { banned: true } | { until: Date } | undefined {
    if (!this.sanctions.has(userId)) return undefined;
    const until = this.sanctions.get(userId);
    if (until === null || until === undefined) return { banned: true };
    if (until.getTime() <= now) {
      this.sanctions.delete(userId);
      return undefined;
    }
    return { until };
  }

  /** Apply a moderation event to the shared state (on every origin, from the bus). */
  apply(event: ChatBusEvent): void {
    switch (event.type) {
      case 'ban':
        this.sanctions.set(event.userId, null);
        break;
      case 'unban':
        this.sanctions.delete(event.userId);
        break;
      case 'timeout':
        if (this.sanctions.get(event.userId) !== null)
          this.sanctions.set(event.userId, new Date(event.until));
        break;
      case 'slow-mode':
        this.info = { ...this.info, slowModeSeconds: event.seconds };
        break;
      default:
        break;
    }
  }

  broadcast(frame: ServerFrame): void {
    const text = JSON.stringify(frame);
    for (const client of this.clients) sendRaw(client, frame, text);
    for (const queue of this.#joining.values()) queue.push(frame);
  }

  /** Start queueing broadcasts for a client whose history is being read. */
  beginJoin(client: ChatClient): void {
    this.#joining.set(client, []);
  }

  /** The history went out: send what came meanwhile (minus what the history held), then go live. */
  finishJoin(client: ChatClient, inHistory: ReadonlySet<string>): void {
    const queued = this.#joining.get(client) ?? [];
    this.#joining.delete(client);
    for (const frame of queued)
      if (!(frame.type === 'message' && inHistory.has(frame.id))) client.send(frame);
    this.clients.add(client);
  }

  /** A client left (or failed to join). */
  remove(client: ChatClient): void {
    this.clients.delete(client);
    this.#joining.delete(client);
  }

  get size(): number {
    return this.clients.size + this.#joining.size;
  }
}

/** Serialise once per broadcast: clients that expose `sendText` get the ready string. */
function sendRaw(client: ChatClient, frame: ServerFrame, text: string): void {
  const raw = client as ChatClient & { sendText?: (text: string) => void };
  if (raw.sendText) raw.sendText(text);
  else client.send(frame);
}

/** An `error` frame. */
export function errorFrame(
  code: ChatErrorCode,
  message: string,
  extra: { clientMsgId?: string; retryAfterMs?: number } = {},
) {
  return { type: 'error' as const, code, message, ...extra };
}
