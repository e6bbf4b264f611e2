import type { Logger } from '../../lib/logger.js';

/** One plain-text message to one address. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Where services send mail. There is no SMTP yet: the console mailer logs each message. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Logs every message through pino at `info`, so an operator can read what would have been sent. */
export function createConsoleMailer(logger: Logger): Mailer {
  return {
    async send(message) {
      logger.info({ mail: message }, 'mail (console mailer: not delivered)');
    },
  };
}
