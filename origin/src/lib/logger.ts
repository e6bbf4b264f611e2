import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout; the level comes from config so tests can silence it. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'origin' },
    redact: { paths: ['req.headers.authorization', 'password', '*.password'], remove: true },
  });
}
