import type { Logger } from '../../lib/logger.js';
import type { ServiceContext } from '../context.js';
import { sweepReconnects } from './sessions.js';

/**
 * Log what the context's `ReconnectTimer` ends (`createServiceContext` wires it to the sessions),
 * and sweep every `intervalMs` as the safety net for drops other origins saw.
 */
export function watchReconnects(ctx: ServiceContext, options: { logger: Logger; intervalMs: number }) {
  const sweep = async () => {
    const { ended, next } = await sweepReconnects(ctx);
    if (ended) options.logger.info({ ended }, 'live sessions ended after their reconnect window');
    return next;
  };
  const onError = (error: unknown) => options.logger.error({ err: error }, 'live session sweep failed');
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
