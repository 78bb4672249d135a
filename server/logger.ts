import { pino, type Logger } from 'pino';

/**
 * journald reads a "<N>" prefix on a stdout line as the entry's syslog priority, so under systemd
 * `journalctl -p warning` finds warnings and errors (sd-daemon(3), SyslogLevelPrefix=).
 */
const syslogPriority: Record<number, number> = { 10: 7, 20: 7, 30: 6, 40: 4, 50: 3, 60: 2 };
const withPriority = (line: string) => {
  const level = /"level":(\d+)/.exec(line);
  return `<${syslogPriority[Number(level?.[1])] ?? 6}>${line}`;
};

/**
 * JSON logs on stdout, one line per entry; secrets are redacted wherever they might travel in a
 * logged object. 'journal': each line carries its syslog priority for the systemd journal.
 */
export function createLogger(level: string, format: 'json' | 'journal' = 'json'): Logger {
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
    ...(format === 'journal' ? { hooks: { streamWrite: withPriority } } : {}),
  });
}
export type { Logger };
