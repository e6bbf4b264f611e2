import type { Logger } from '../../lib/logger.js';
import type { ServiceContext } from '../context.js';
import { kickReplays } from './recording.js';
import { sweepReconnects } from './sessions.js';

/**
 * Log what the context's `ReconnectTimer` ends (`createServiceContext` wires it to the sessions),
 * and sweep every `intervalMs` as the safety net for drops other origins saw.
 */
export function watchReconnects(ctx: ServiceContext, options: { logger: Logger; intervalMs: number }) {
  const onError = (error: unknown) => options.logger.error({ err: error }, 'live session sweep failed');
  const sweep = async () => {
    const { ended, next } = await sweepReconnects(ctx);
    if (ended) options.logger.info({ ended }, 'live sessions ended after their reconnect window');
    // Replays of the sessions just ended, and retries of earlier ones.
    kickReplays(ctx, onError).then((queued) => {
      if (queued) options.logger.info({ queued }, 'live replays queued for transcoding');
    }, onError);
    return next;
  };
  ctx.liveReconnects.onDue(sweep, onError);
  const interval = setInterval(() => {
    sweep().then((next) => next && ctx.liveReconnects.arm(next), onError);
  }, options.intervalMs);
  interval.unref();
  return {
    stop() {
      clearInterval(interval);
      ctx.liveReconnects.stop();
    },
  };
}
