import { createHash } from 'node:crypto';
import { BridgeCommandError } from './encoding.js';

/**
 * Commands refused outright. The bridge multiplexes every HTTP request over one shared Redis
 * connection, so anything that changes that connection's state (database, pub/sub, transactions
 * opened by hand, reply mode) would leak into other requests, and a blocking command would stall
 * all of them. Upstash's REST API does not offer these over plain requests either.
 */
const REFUSED = new Set([
  'AUTH',
  'BLMOVE',
  'BLMPOP',
  'BLPOP',
  'BRPOP',
  'BRPOPLPUSH',
  'BZMPOP',
  'BZPOPMAX',
  'BZPOPMIN',
  'CLIENT',
  'DISCARD',
  'EXEC',
  'HELLO',
  'MONITOR',
  'MULTI',
  'PSUBSCRIBE',
  'PSYNC',
  'PUNSUBSCRIBE',
  'QUIT',
  'READONLY',
  'READWRITE',
  'REPLCONF',
  'RESET',
  'SELECT',
  'SSUBSCRIBE',
  'SUBSCRIBE',
  'SUNSUBSCRIBE',
  'SYNC',
  'UNSUBSCRIBE',
  'UNWATCH',
  'WAIT',
  'WAITAOF',
  'WATCH',
]);

/**
 * Upstash-only Lua shebang flag: on Upstash it makes a script lock just its KEYS. Upstream Redis 7
 * rejects the whole script ("Unexpected flag in script shebang"), and @upstash/ratelimit puts it on
 * every script it ships, so the bridge drops that one flag and keeps the rest of the script intact
 * (same line count, so Lua error line numbers still match the client's source).
 */
const UPSTASH_ONLY_FLAG = 'allow-key-locking';
const SHEBANG_FLAGS = /^(#!lua\b[^\n]*?\bflags=)([^\s]*)/;

/** Largest number of script hashes remembered before the map is started afresh. */
const MAX_SCRIPT_ALIASES = 10_000;

/** A command ready for Redis, plus how to turn Redis's reply back into what the client expects. */
export interface PreparedCommand {
  args: string[];
  mapReply(reply: unknown): unknown;
}

const identity = (reply: unknown): unknown => reply;

/** SHA-1 hex of a script, as EVALSHA and SCRIPT LOAD name it. */
export function scriptSha(script: string): string {
  return createHash('sha1').update(script, 'utf8').digest('hex');
}

/** Remove the Upstash-only shebang flag from a Lua script; other scripts come back unchanged. */
export function stripUpstashScriptFlags(script: string): string {
  const match = SHEBANG_FLAGS.exec(script);
  if (!match) return script;
  const flags = (match[2] ?? '').split(',');
  const kept = flags.filter((flag) => flag !== UPSTASH_ONLY_FLAG);
  if (kept.length === flags.length) return script;
  return `${match[1]}${kept.join(',')}${script.slice(match[0].length)}`;
}

/**
 * Translates client commands for upstream Redis. It remembers which hash the client knows a
 * rewritten script by (the SHA-1 of the original text, e.g. ratelimit's hard-coded hashes) and
 * which hash Redis stored it under, so EVALSHA keeps working after the first EVAL instead of
 * answering NOSCRIPT on every call.
 */
export class CommandTranslator {
  readonly #aliases = new Map<string, string>();

  /** Check and rewrite one command; throws BridgeCommandError for refused commands. */
  prepare(args: string[]): PreparedCommand {
    const name = (args[0] ?? '').toUpperCase();
    if (REFUSED.has(name) || isBlockingStreamRead(name, args)) {
      throw new BridgeCommandError(`ERR command '${args[0]}' is not supported by the Upstash bridge`);
    }
    if ((name === 'EVAL' || name === 'EVAL_RO') && args[1] !== undefined) {
      return { args: [args[0] as string, this.#rewrite(args[1]), ...args.slice(2)], mapReply: identity };
    }
    if ((name === 'EVALSHA' || name === 'EVALSHA_RO') && args[1] !== undefined) {
      return { args: [args[0] as string, this.#resolve(args[1]), ...args.slice(2)], mapReply: identity };
    }
    const sub = (args[1] ?? '').toUpperCase();
    if (name === 'SCRIPT' && sub === 'LOAD' && args[2] !== undefined && args.length === 3) {
      const original = args[2];
      // Answer with the hash of the text the client sent, as Upstash would, not of the rewrite.
      return {
        args: [args[0] as string, args[1] as string, this.#rewrite(original)],
        mapReply: () => scriptSha(original),
      };
    }
    if (name === 'SCRIPT' && sub === 'EXISTS') {
      return {
        args: [...args.slice(0, 2), ...args.slice(2).map((sha) => this.#resolve(sha))],
        mapReply: identity,
      };
    }
    return { args, mapReply: identity };
  }

  #rewrite(script: string): string {
    const rewritten = stripUpstashScriptFlags(script);
    if (rewritten !== script) {
      if (this.#aliases.size >= MAX_SCRIPT_ALIASES) this.#aliases.clear();
      this.#aliases.set(scriptSha(script), scriptSha(rewritten));
    }
    return rewritten;
  }

  #resolve(sha: string): string {
    return this.#aliases.get(sha.toLowerCase()) ?? sha;
  }
}

/** XREAD / XREADGROUP only block when given BLOCK (before STREAMS, where keys begin). */
function isBlockingStreamRead(name: string, args: string[]): boolean {
  if (name !== 'XREAD' && name !== 'XREADGROUP') return false;
  for (const arg of args.slice(1)) {
    const upper = arg.toUpperCase();
    if (upper === 'STREAMS') return false;
    if (upper === 'BLOCK') return true;
  }
  return false;
}
