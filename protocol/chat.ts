import { z } from 'zod';
import { CHAT_LIMITS } from './chat-limits.js';

/**
 * Live chat wire contract (issue 11), pinned so outside clients can be written against it.
 * `GET /api/v1/videos/:id/chat` upgrades to a WebSocket (edge and origin alike); every frame is
 * one JSON text message. Reading needs the right to see the video; posting needs an account.
 */

export { CHAT_LIMITS } from './chat-limits.js';

/** WebSocket close codes the server uses (4000-4999 are the application's). */
export const CHAT_CLOSE = {
  /** The viewer may no longer see the video (made private, deleted, owner suspended). */
  accessRevoked: 4403,
  /** The server is shutting down; reconnect (to another origin) with backoff. */
  goingAway: 1001,
} as const;

/**
 * The browser session cookie holding the access JWT (the edge sets it, `edge/src/web/session.ts`);
 * the chat WebSocket accepts it at the origin too, since browsers cannot set `Authorization` on one.
 */
export const SESSION_ACCESS_COOKIE = 'vidra_at';

/** The Redis Stream holding one room's events (`XADD ... MAXLEN ~`). */
export const chatStreamKey = (videoId: string) => `vidra:chat:room:${videoId}`;
/** An origin's own stream, written to wake its blocking `XREAD` when it joins a room. */
export const chatWakeKey = (originId: string) => `vidra:chat:wake:${originId}`;

const Id = z.string().min(1).max(64);
const UserId = z.string().uuid();

// ---- client to server ---------------------------------------------------------------------

export const ClientMessageFrameSchema = z.object({
  type: z.literal('message'),
  // The length limit is checked by the service, so that a long text answers `too_long`, not a parse error.
  text: z.string().max(CHAT_LIMITS.maxTextLength * 8),
  /** Chosen by the client; a resend with the same id is acknowledged once, never stored twice. */
  clientMsgId: Id,
});

export const ClientFrameSchema = z.discriminatedUnion('type', [
  ClientMessageFrameSchema,
  z.object({ type: z.literal('delete'), id: Id }),
  z.object({
    type: z.literal('timeout'),
    userId: UserId,
    seconds: z.number().int().min(1).max(CHAT_LIMITS.maxTimeoutSeconds),
  }),
  z.object({ type: z.literal('ban'), userId: UserId }),
  z.object({ type: z.literal('unban'), userId: UserId }),
  /** 0 turns slow mode off. */
  z.object({
    type: z.literal('slow-mode'),
    seconds: z.number().int().min(0).max(CHAT_LIMITS.maxSlowModeSeconds),
  }),
]);
export type ClientFrame = z.infer<typeof ClientFrameSchema>;

// ---- server to client ---------------------------------------------------------------------

export const ChatUserSchema = z.object({ id: UserId, username: z.string(), displayName: z.string() });
export type ChatUser = z.infer<typeof ChatUserSchema>;

export const ChatMessageSchema = z.object({
  type: z.literal('message'),
  id: Id,
  user: ChatUserSchema,
  text: z.string(),
  /** Milliseconds from the start of the live: where the message sits on the replay. */
  offsetMs: z.number().int().min(0),
  /** ISO 8601 time the server accepted it. */
  at: z.string(),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const CHAT_ERROR_CODES = [
  'invalid_frame',
  'unauthorized',
  'forbidden',
  'too_long',
  'empty',
  'rate_limited',
  'timed_out',
  'banned',
  'slow_mode',
  'closed',
  'not_found',
  'unavailable',
] as const;
export type ChatErrorCode = (typeof CHAT_ERROR_CODES)[number];

/** Frames every origin fans out to all clients of a room (they travel through the room's stream). */
export const ChatBroadcastSchema = z.discriminatedUnion('type', [
  ChatMessageSchema,
  z.object({ type: z.literal('delete'), id: Id }),
  /** `until`: ISO time the user may post again. */
  z.object({ type: z.literal('timeout'), userId: UserId, until: z.string() }),
  z.object({ type: z.literal('ban'), userId: UserId }),
  z.object({ type: z.literal('unban'), userId: UserId }),
  z.object({ type: z.literal('slow-mode'), seconds: z.number().int().min(0) }),
  z.object({ type: z.literal('system'), text: z.string() }),
]);
export type ChatBroadcast = z.infer<typeof ChatBroadcastSchema>;

/**
 * What travels through a room's stream between origins: the broadcasts, and `access-changed`
 * (the video's privacy, existence or owner changed), on which every origin checks its viewers again.
 */
export const ChatBusEventSchema = z.union([
  ChatBroadcastSchema,
  z.object({ type: z.literal('access-changed') }),
]);
export type ChatBusEvent = z.infer<typeof ChatBusEventSchema>;

export const ServerFrameSchema = z.union([
  ChatBroadcastSchema,
  z.object({ type: z.literal('ack'), clientMsgId: Id, id: Id }),
  z.object({
    type: z.literal('error'),
    code: z.enum(CHAT_ERROR_CODES),
    message: z.string(),
    clientMsgId: Id.optional(),
    /** For `rate_limited`, `timed_out` and `slow_mode`: when posting works again. */
    retryAfterMs: z.number().int().min(0).optional(),
  }),
  z.object({
    type: z.literal('history'),
    messages: z.array(ChatMessageSchema),
    /** What this client may do, so a UI shows only the actions that will work. */
    you: z.object({ canPost: z.boolean(), canModerate: z.boolean(), userId: UserId.optional() }),
    /** Whether the room takes messages (live on air) or is a read-only replay. */
    open: z.boolean(),
    slowModeSeconds: z.number().int().min(0),
  }),
]);
export type ServerFrame = z.infer<typeof ServerFrameSchema>;
export type ChatErrorFrame = Extract<ServerFrame, { type: 'error' }>;

/** `GET /api/v1/videos/:id/chat/messages`: messages of a room in offset order, for the replay. */
export const ChatMessagesQuerySchema = z.object({
  fromOffsetMs: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const ChatMessagesPageSchema = z.object({
  messages: z.array(ChatMessageSchema),
  /** Pass as `fromOffsetMs` for the next page; absent on the last one. */
  nextOffsetMs: z.number().int().optional(),
});
export type ChatMessagesPage = z.infer<typeof ChatMessagesPageSchema>;
