import { CHAT_CLOSE, CHAT_LIMITS, type ChatBusEvent, ClientFrameSchema } from '../../../../protocol/chat.js';
import type { Viewer } from '../../auth/access-tokens.js';
import { ServiceError } from '../../lib/errors.js';
import { canManageChannel } from '../channels.js';
import type { ServiceContext } from '../context.js';
import { loadViewableVideo } from '../videos/read.js';
import type { ChatBus } from './bus.js';
import { decidePost, refundPost } from './limits.js';
import { moderate } from './moderation.js';
import { type ChatClient, errorFrame, Room } from './room.js';
import {
  activeSanctions,
  insertMessage,
  isNamedModerator,
  loadRoomInfo,
  ownerSuspended,
  recentMessages,
} from './store.js';
import type { ChatRooms } from './types.js';

/** Room facts (on air, slow mode) older than this are read again before a post relies on them. */
const INFO_MAX_AGE_MS = 2000;

/**
 * This origin's chat rooms (issue 11): the sockets of each room, fed by the bus, which carries every
 * event of a room to every origin. Messages are stored in PostgreSQL before they are acknowledged
 * and published, so an `ack` always means "kept" (docs/adr/0016-chat.md).
 */
export class ChatHub implements ChatRooms {
  readonly #rooms = new Map<string, Promise<Room>>();

  constructor(
    private readonly ctx: ServiceContext,
    readonly bus: ChatBus,
  ) {}

  /** Rooms with clients on this origin (tests, metrics). */
  get roomCount(): number {
    return this.#rooms.size;
  }

  #room(videoId: string): Promise<Room> {
    let room = this.#rooms.get(videoId);
    if (!room) {
      room = this.#openRoom(videoId);
      this.#rooms.set(videoId, room);
      room.catch(() => this.#rooms.delete(videoId));
    }
    return room;
  }

  async #openRoom(videoId: string): Promise<Room> {
    const info = await loadRoomInfo(this.ctx, videoId);
    if (!info) throw new ServiceError('not_found', 'Video not found');
    const room = new Room(info, await activeSanctions(this.ctx, info.channelId));
    room.leaveBus = this.bus.join(videoId, (event) => this.#onEvent(room, event));
    return room;
  }

  /** Add a client to a room (whose access the route already checked) and send it the history. */
  async join(videoId: string, client: ChatClient): Promise<() => void> {
    const room = await this.#room(videoId);
    const viewer = client.viewer;
    client.canModerate = viewer ? await this.#moderates(room, viewer) : false;
    room.beginJoin(client);
    let messages: Awaited<ReturnType<typeof recentMessages>>;
    try {
      messages = await recentMessages(this.ctx, videoId, CHAT_LIMITS.historySize);
    } catch (error) {
      this.#leave(videoId, room, client);
      throw error;
    }
    for (const m of messages) room.firstSight(m.id);
    client.send({
      type: 'history',
      messages,
      you: {
        canPost: client.canPost,
        canModerate: client.canModerate,
        ...(viewer ? { userId: viewer.userId } : {}),
      },
      open: room.info.onAir,
      slowModeSeconds: room.info.slowModeSeconds,
    });
    room.finishJoin(client, new Set(messages.map((m) => m.id)));
    return () => this.#leave(videoId, room, client);
  }

  #leave(videoId: string, room: Room, client: ChatClient): void {
    room.remove(client);
    if (room.size > 0) return;
    room.leaveBus();
    this.#rooms.delete(videoId);
  }

  async #moderates(room: Room, viewer: Viewer): Promise<boolean> {
    if (canManageChannel(viewer, { ownerId: room.info.ownerId })) return true;
    return isNamedModerator(this.ctx, room.info.channelId, viewer.userId);
  }

  /** One text frame from a client. Every refusal answers an `error` frame; nothing is dropped silently. */
  async receive(videoId: string, client: ChatClient, data: string): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return client.send(errorFrame('invalid_frame', 'Frames are JSON objects'));
    }
    const parsed = ClientFrameSchema.safeParse(raw);
    if (!parsed.success) {
      const clientMsgId = (raw as { clientMsgId?: unknown })?.clientMsgId;
      return client.send(
        errorFrame('invalid_frame', parsed.error.issues[0]?.message ?? 'Unknown frame', {
          ...(typeof clientMsgId === 'string' && clientMsgId.length <= 64 ? { clientMsgId } : {}),
        }),
      );
    }
    const room = await this.#room(videoId);
    const frame = parsed.data;
    try {
      if (frame.type === 'message') await this.#post(room, client, frame);
      else await moderate(this.ctx, this.bus, room, client, frame);
    } catch (error) {
      // Redis or PostgreSQL away: the client is told, and may send the same clientMsgId again.
      client.send(
        errorFrame('unavailable', 'Chat is unavailable right now; try again', {
          ...(frame.type === 'message' ? { clientMsgId: frame.clientMsgId } : {}),
        }),
      );
      if (!(error instanceof ServiceError)) throw error;
    }
  }

  async #post(room: Room, client: ChatClient, frame: { text: string; clientMsgId: string }): Promise<void> {
    const { clientMsgId } = frame;
    const viewer = client.viewer;
    if (!viewer || !client.canPost) {
      return client.send(
        errorFrame(
          viewer ? 'forbidden' : 'unauthorized',
          viewer ? 'This account may not post' : 'Sign in to chat',
          { clientMsgId },
        ),
      );
    }
    if (Date.now() - room.infoLoadedAt > INFO_MAX_AGE_MS) {
      const info = await loadRoomInfo(this.ctx, room.info.videoId);
      if (info) room.info = { ...info, slowModeSeconds: room.info.slowModeSeconds };
      room.infoLoadedAt = Date.now();
    }
    if (!room.info.onAir || !room.info.liveStartedAt) {
      return client.send(errorFrame('closed', 'The live has ended: its chat is read-only', { clientMsgId }));
    }
    const sanction = room.sanctionOf(viewer.userId);
    if (sanction && 'banned' in sanction) {
      return client.send(errorFrame('banned', 'You are banned from this chat', { clientMsgId }));
    }
    if (sanction) {
      const retryAfterMs = sanction.until.getTime() - Date.now();
      return client.send(errorFrame('timed_out', 'You are timed out', { clientMsgId, retryAfterMs }));
    }
    const now = Date.now();
    const before = room.postsOf(viewer.userId);
    const decision = decidePost(before, {
      now,
      text: frame.text,
      slowModeSeconds: room.info.slowModeSeconds,
      exemptFromSlowMode: client.canModerate,
    });
    room.posts.set(viewer.userId, decision.history);
    if (decision.refusal) {
      const { code, message, retryAfterMs } = decision.refusal;
      return client.send(
        errorFrame(code, message, { clientMsgId, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) }),
      );
    }
    const startedAt = room.info.liveStartedAt.getTime();
    try {
      const { message } = await insertMessage(this.ctx, {
        videoId: room.info.videoId,
        userId: viewer.userId,
        username: viewer.username,
        clientMsgId,
        text: frame.text.trim(),
        offsetMs: Math.max(0, now - startedAt),
      });
      // A resend of a stored message is published again: if the first publish failed, this one
      // carries it; if not, every origin drops the repeat by id.
      await this.bus.publish(room.info.videoId, message);
      client.send({ type: 'ack', clientMsgId, id: message.id });
    } catch (error) {
      // A post that did not go out does not count against the sender's rate: they will resend it.
      room.posts.set(viewer.userId, refundPost(room.postsOf(viewer.userId), now, before.lastAt));
      throw error;
    }
  }

  #onEvent(room: Room, event: ChatBusEvent): void {
    if (event.type === 'access-changed') {
      void this.#recheck(room);
      return;
    }
    if (event.type === 'message' && !room.firstSight(event.id)) return;
    room.apply(event);
    room.broadcast(event);
  }

  /** The video's privacy, existence or owner changed: close the sockets of viewers who lost it. */
  async #recheck(room: Room): Promise<void> {
    const suspended = await ownerSuspended(this.ctx, room.info.ownerId).catch(() => false);
    for (const client of [...room.clients]) {
      const lost = await this.#lostAccess(room, client, suspended);
      if (!lost) continue;
      client.send({ type: 'system', text: 'This video is no longer available to you' });
      client.close(CHAT_CLOSE.accessRevoked, 'access revoked');
    }
  }

  async #lostAccess(room: Room, client: ChatClient, suspended: boolean): Promise<boolean> {
    if (suspended && client.viewer?.role !== 'admin') return true;
    try {
      await loadViewableVideo(this.ctx, {
        id: room.info.videoId,
        viewer: client.viewer,
        password: client.password,
        ip: client.ip,
      });
      return false;
    } catch (error) {
      return error instanceof ServiceError;
    }
  }

  /** Tell every origin to check the viewers of these videos again (from the outbox, once per event). */
  async accessChanged(videoIds: readonly string[]): Promise<void> {
    for (const id of videoIds) await this.bus.publish(id, { type: 'access-changed' });
  }

  /** Close every socket (the origin is going away), then the bus. */
  async close(): Promise<void> {
    for (const room of this.#rooms.values()) {
      const r = await room.catch(() => undefined);
      for (const client of r?.clients ?? []) client.close(CHAT_CLOSE.goingAway, 'origin shutting down');
      r?.leaveBus();
    }
    this.#rooms.clear();
    await this.bus.close();
  }
}
