import type { MiddlewareHandler } from 'hono';
import { UnauthorizedError } from '../lib/errors.js';
import type { AppEnv } from '../lib/http.js';
import { authenticateRunner } from '../services/jobs/runners.js';

/** Transcoders authenticate with `Authorization: Bearer <runner token>`, never with user JWTs. */
export function authenticateRunnerRequest(): MiddlewareHandler<AppEnv> {
  return async function authenticateRunnerRequest(c, next) {
    const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
    if (!match?.[1]) throw new UnauthorizedError('Send the runner token as `Authorization: Bearer <token>`');
    const { runnerId } = await authenticateRunner(c.get('services'), match[1]);
    c.set('runnerId', runnerId);
    await next();
  };
}
