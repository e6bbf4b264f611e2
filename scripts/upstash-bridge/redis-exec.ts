import { createClient, ErrorReply, RESP_TYPES } from 'redis';
import { CommandTranslator, type PreparedCommand } from './commands.js';

/**
 * Bulk strings as Buffers so binary values reach the base64 encoder byte for byte; status
 * replies stay JS strings, which is how the encoder tells `+OK` from a stored value.
 */
const typeMapping = { [RESP_TYPES.BLOB_STRING]: Buffer };

/** Runs REST commands on Redis: single, pipelined (in order, not atomic) and MULTI/EXEC. */
export interface RedisExecutor {
  /** One command; rejects with the Redis error (an ErrorReply) or a BridgeCommandError. */
  run(args: string[]): Promise<unknown>;
  /** Commands in order; each settles on its own, as Upstash's `/pipeline` reports them. */
  pipeline(commands: string[][]): Promise<PromiseSettledResult<unknown>[]>;
  /** Commands atomically; rejects as a whole when Redis discards the transaction (EXECABORT). */
  transaction(commands: string[][]): Promise<PromiseSettledResult<unknown>[]>;
  /** Wait for pending replies, then disconnect. */
  close(): Promise<void>;
}

/**
 * Connect to Redis over RESP2, the protocol Upstash answers in: @upstash/redis maps a JSON
 * object (a RESP3 map) to null, so replies must be flat arrays. Fails fast when Redis is not
 * reachable at start-up; once connected, it keeps reconnecting, and commands sent while Redis is
 * away fail at once (no offline queue) so HTTP callers get a 503 instead of hanging.
 */
export async function connectRedis(url: string): Promise<RedisExecutor> {
  let connectedOnce = false;
  const client = createClient({
    url,
    RESP: 2,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries: number, cause: Error) => {
        if (connectedOnce) return Math.min(100 * 2 ** retries, 2_000);
        return retries >= 2 ? new Error(`cannot reach Redis: ${cause.message}`) : 200;
      },
    },
  });
  // node-redis emits 'error' on every lost connection; without a listener that would crash the process.
  client.on('error', () => {});
  client.on('ready', () => {
    connectedOnce = true;
  });
  await client.connect();

  const translator = new CommandTranslator();
  const send = (command: PreparedCommand): Promise<unknown> =>
    client.sendCommand(command.args, { typeMapping }).then((reply) => command.mapReply(reply));

  return {
    run: async (args) => send(translator.prepare(args)),
    pipeline: (commands) =>
      // sendCommand queues synchronously, so map() writes the commands in the client's order.
      Promise.allSettled(
        commands.map((args) => {
          try {
            return send(translator.prepare(args));
          } catch (error) {
            return Promise.reject(error);
          }
        }),
      ),
    transaction: async (commands) => {
      // Refuse before sending anything, so a refused command aborts the whole transaction like EXECABORT.
      const prepared = commands.map((args) => translator.prepare(args));
      // node-redis writes one chainId's commands back to back, so no other request lands inside
      // MULTI..EXEC on the shared connection. Its own multi() cannot be used: it decodes EXEC's
      // reply without the type mapping, turning binary values into lossy UTF-8 strings.
      const chainId = Symbol('multi-exec');
      const queued = [
        client.sendCommand(['MULTI'], { chainId }),
        ...prepared.map((command) => client.sendCommand(command.args, { chainId })),
      ];
      const exec = client.sendCommand(['EXEC'], { chainId, typeMapping });
      const [queueOutcomes, execOutcome] = await Promise.all([
        Promise.allSettled(queued),
        Promise.allSettled([exec]),
      ]);
      const outcome = execOutcome[0];
      if (outcome?.status !== 'fulfilled' || !Array.isArray(outcome.value)) {
        // Report the queued command Redis refused, which says more than a bare EXECABORT.
        const refused = queueOutcomes.find((queuedOutcome) => queuedOutcome.status === 'rejected');
        throw refused?.reason ?? (outcome?.status === 'rejected' ? outcome.reason : new Error('EXEC failed'));
      }
      return outcome.value.map((reply: unknown, i): PromiseSettledResult<unknown> => {
        if (reply instanceof ErrorReply) return { status: 'rejected', reason: reply };
        const mapReply = prepared[i]?.mapReply ?? ((value: unknown) => value);
        return { status: 'fulfilled', value: mapReply(reply) };
      });
    },
    close: async () => {
      if (!client.isOpen) return;
      // close() drains pending replies over a live socket; while reconnecting there is none to drain.
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}
