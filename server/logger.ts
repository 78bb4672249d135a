import { pino, type Logger } from 'pino';

/** JSON logs on stdout; secrets are redacted wherever they might travel in a logged object. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: [
        '*.token', '*.secret', '*.apiKey', '*.serviceRoleKey', '*.password', '*.authorization',
        'req.headers.authorization', 'req.headers.apikey', 'req.headers["x-signature"]',
      ],
      censor: '[redacted]',
    },
  });
}
export type { Logger };
