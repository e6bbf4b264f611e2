import type { ChatBusEvent, ChatErrorCode, ServerFrame } from '../../../../protocol/chat.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { NO_POSTS, type PostHistory } from './limits.js';
import type { RoomInfo } from './store.js';

/** One socket in a room, as the hub sees it: transport-free, so tests and the route share it. */
export interface ChatClient {
  viewer: Viewer | undefined;
  /** What the viewer gave to see a password video, kept to check access again later. */
  password: string | undefined;
  ip: string;
  /** Set at join: owner, admin, or a moderator the owner named. */
  canModerate: boolean;
  /** Signed in and not suspended. */
  canPost: boolean;
  send(frame: ServerFrame): void;
  close(code: number, reason: string): void;
}

/** Message ids a room remembers, to drop repeats (a bus re-read after an outage, the join look-back). */
const SEEN_LIMIT = 2000;

/** This origin's view of one room: its clients and the state every origin keeps in step through the bus. */
export class Room {
  readonly clients = new Set<ChatClient>();
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
        if (this.sanctions.get(event.userId) !== null) this.sanctions.set(event.userId, new Date(event.until));
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
  }
}

/** Serialise once per broadcast: clients that expose `sendText` get the ready string. */
function sendRaw(client: ChatClient, frame: ServerFrame, text: string): void {
  const raw = client as ChatClient & { sendText?: (text: string) => void };
  if (raw.sendText) raw.sendText(text);
  else client.send(frame);
}

/** An `error` frame. */
export function errorFrame(code: ChatErrorCode, message: string, extra: { clientMsgId?: string; retryAfterMs?: number } = {}) {
  return { type: 'error' as const, code, message, ...extra };
}
