import { ErrorReply } from 'redis';

/** A JSON value as the Upstash REST API returns it inside `result`. */
export type RestValue = string | number | null | RestValue[];

/** One entry of a `/pipeline` or `/multi-exec` reply, or the body of a single-command reply. */
export type RestReply = { result: RestValue } | { error: string };

/** The only parse error text the bridge returns, so callers see one stable message for bad bodies. */
export const PARSE_ERROR = 'ERR failed to parse command';

/**
 * Turn a JSON command (`["SET", "k", 1]`) into Redis arguments. @upstash/redis keeps numbers and
 * booleans as JSON numbers and booleans (it only stringifies objects), so those are stringified
 * here; anything else is a malformed request. Returns null when the command is unusable.
 */
export function toRedisArgs(command: unknown): string[] | null {
  if (!Array.isArray(command) || command.length === 0) return null;
  const args: string[] = [];
  for (const part of command) {
    if (typeof part === 'string') args.push(part);
    else if (typeof part === 'number' || typeof part === 'boolean') args.push(String(part));
    else return null;
  }
  return args;
}

/**
 * Convert a RESP2 reply (as node-redis decodes it with bulk strings mapped to Buffer) to JSON.
 *
 * With `Upstash-Encoding: base64`, every string is sent as base64 of its raw bytes, recursively
 * inside arrays, so any byte sequence survives JSON. The one exception copies Upstash: a
 * top-level status reply `OK` stays plain. @upstash/redis passes a top-level `"OK"` through as is
 * (base64 text is never `OK`: its length is a multiple of 4) but base64-decodes every string
 * inside an array, where a plain `OK` would decode to garbage, so nested ones are encoded.
 * Without the header, bulk strings are decoded as UTF-8 (invalid bytes become U+FFFD).
 */
export function encodeReply(reply: unknown, base64: boolean, topLevel = true): RestValue {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === 'number') return reply;
  if (typeof reply === 'bigint') return Number(reply);
  if (Buffer.isBuffer(reply)) return base64 ? reply.toString('base64') : reply.toString('utf8');
  if (typeof reply === 'string') {
    // A JS string here is a status reply (bulk strings arrive as Buffers).
    if (!base64 || (topLevel && reply === 'OK')) return reply;
    return Buffer.from(reply, 'utf8').toString('base64');
  }
  if (Array.isArray(reply)) return reply.map((item) => encodeReply(item, base64, false));
  // A nested error (a Lua table holding one) has no JSON slot of its own; keep its text.
  if (reply instanceof ErrorReply) return encodeReply(reply.message, base64, false);
  return encodeReply(String(reply), base64, topLevel);
}

/** Wrap a settled Redis call as one REST reply entry; Redis errors are never base64-encoded. */
export function toRestReply(outcome: PromiseSettledResult<unknown>, base64: boolean): RestReply {
  if (outcome.status === 'fulfilled') return { result: encodeReply(outcome.value, base64) };
  return { error: errorText(outcome.reason) };
}

/** The text of an error as Redis phrased it (`ERR ...`, `WRONGTYPE ...`, `NOSCRIPT ...`). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether a failure is a reply (from Redis, or a refusal by the bridge) rather than a lost
 * connection. Only replies belong in a `{ error }` entry; a lost connection fails the whole
 * request with a 503, as no command result can be trusted then.
 */
export function isRedisReplyError(error: unknown): boolean {
  return error instanceof ErrorReply || error instanceof BridgeCommandError;
}

/** A refusal by the bridge itself, worded like a Redis error so clients treat it alike. */
export class BridgeCommandError extends Error {
  override name = 'BridgeCommandError';
}
