import pino, { type Logger } from 'pino';
import { withoutQueryParams } from '../../../db/errors.js';

export type { Logger };

/** JSON logs on stdout; the level comes from config so tests can silence it. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'origin' },
    // A failed query's parameters (passwords, tokens, personal data) never reach the logs.
    serializers: { err: (error: unknown) => pino.stdSerializers.err(withoutQueryParams(error) as Error) },
    redact: { paths: ['req.headers.authorization', 'password', '*.password'], remove: true },
  });
}
