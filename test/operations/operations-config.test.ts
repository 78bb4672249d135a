import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config.ts';

const problems = (env: Record<string, string>) => {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('operations configuration', () => {
  it('defaults: metrics on without a token, no periodic backup, JSON logs', () => {
    const config = parseConfig({});
    expect(config.metrics).toEqual({ enabled: true, token: null });
    expect(config.backup).toEqual({ dir: null, keep: 7, intervalHours: 24, databaseUrl: null });
    expect(config.logFormat).toBe('json');
  });

  it('logs for the journal when systemd connects stdout to it, unless LOG_FORMAT says otherwise', () => {
    expect(parseConfig({ JOURNAL_STREAM: '8:12345' }).logFormat).toBe('journal');
    expect(parseConfig({ JOURNAL_STREAM: '8:12345', LOG_FORMAT: 'json' }).logFormat).toBe('json');
  });

  it('names the variable that is wrong', () => {
    expect(problems({ METRICS_TOKEN: 'short' })).toEqual([expect.stringMatching(/^METRICS_TOKEN: .*24/)]);
    expect(problems({ BACKUP_KEEP: '0' })).toEqual([expect.stringMatching(/^BACKUP_KEEP: /)]);
    expect(problems({ METRICS_ENABLED: 'yes' })).toEqual([expect.stringMatching(/^METRICS_ENABLED: /)]);
    expect(problems({ SUPABASE_DB_URL: 'https://x.supabase.co' })).toEqual([expect.stringMatching(/^SUPABASE_DB_URL: expected postgresql:/)]);
    expect(parseConfig({ BACKUP_DIR: '/var/lib/vinyl-store/backups', BACKUP_KEEP: '14' }).backup).toMatchObject({ dir: '/var/lib/vinyl-store/backups', keep: 14 });
  });
});
