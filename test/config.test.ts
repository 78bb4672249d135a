import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../server/config.ts';
import { createApiKeys } from './support/supabase-gateway.ts';

const problemsOf = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration', () => {
  it('runs on embedded defaults with nothing set', () => {
    const config = parseConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data' });
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8000, trustProxy: false, shutdownGraceMs: 8000 });
    expect(config.cacheTtlSeconds).toBe(600);
    expect(config.telegram).toBeNull();
    expect(config.llm.primary).toBeNull();
    expect(config.offers).toEqual({ discountPercent: 25, ttlDays: 14, reservationDays: 14, exclusiveHours: 48, reservationLimit: 2 });
    expect(config.demand).toEqual({ perPersonPerDay: 20, unverifiedPerTitlePerHour: 20, newTitlesPerHour: 30, unverifiedPerHour: 300 });
  });

  it('reads TRUST_PROXY as express does: a flag, a hop count or addresses', () => {
    expect(parseConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(parseConfig({ SHUTDOWN_GRACE_SECONDS: '2.5' }).http.shutdownGraceMs).toBe(2500);
    expect(parseConfig({ TRUST_PROXY: 'true' }).http.trustProxy).toBe(true);
    expect(parseConfig({ TRUST_PROXY: '10.0.0.1, 10.0.0.2' }).http.trustProxy).toBe('10.0.0.1, 10.0.0.2');
    expect(problemsOf({ TRUST_PROXY: 'maybe' })[0]).toMatch(/^TRUST_PROXY: /);
  });

  it('treats empty values as unset, as .env files write them', () => {
    expect(parseConfig({ SUPABASE_URL: '', API_PORT: ' ' }).database.kind).toBe('pglite');
  });

  it('names the variable that is wrong and why', () => {
    expect(problemsOf({ API_PORT: 'eighty' })[0]).toMatch(/^API_PORT: /);
    expect(problemsOf({ SUPABASE_URL: 'https://x.supabase.co' })).toEqual([
      expect.stringMatching(/^SUPABASE_SECRET_KEY: required when SUPABASE_URL is set .*Project Settings → API Keys/),
    ]);
    expect(problemsOf({ TELEGRAM_BOT_TOKEN: '123:abc' })[0]).toMatch(/^ADMIN_TELEGRAM_ID: required .*numeric Telegram id/);
    expect(problemsOf({ LLM_PROVIDER: 'qwen' })).toEqual([expect.stringMatching(/^QWEN_API_KEY: required because LLM_PROVIDER=qwen/)]);
    expect(problemsOf({ LLM_PROVIDER: 'yandexgpt', YANDEXGPT_API_KEY: 'k' })[0]).toMatch(/^YANDEXGPT_FOLDER_ID/);
    expect(problemsOf({ ADMIN_API_TOKEN: 'short' })[0]).toMatch(/^ADMIN_API_TOKEN: use at least 24/);
  });

  it('never puts a secret into an error message', () => {
    const message = problemsOf({ TELEGRAM_BOT_TOKEN: 'not a token secret-value-123' }).join('\n');
    expect(message).toMatch(/^TELEGRAM_BOT_TOKEN/);
    expect(message).not.toContain('secret-value-123');
  });

  it('switches to Supabase, webhook mode and a provider chain when configured', () => {
    const config = parseConfig({
      SUPABASE_URL: 'https://abc.supabase.co',
      SUPABASE_SERVICE_ROLE_KEY: 'service-key',
      TELEGRAM_BOT_TOKEN: '123456:ABC-def',
      ADMIN_TELEGRAM_ID: '111, 222',
      TELEGRAM_WEBHOOK_URL: 'https://shop.example/telegram/webhook',
      TELEGRAM_WEBHOOK_SECRET: 'a'.repeat(32),
      LLM_PROVIDER: 'ollama',
      LLM_FALLBACK_PROVIDER: 'custom',
      CUSTOM_LLM_BASE_URL: 'http://127.0.0.1:9999/v1',
      CUSTOM_LLM_MODEL: 'm',
    });
    expect(config.database).toEqual({ kind: 'supabase', url: 'https://abc.supabase.co', serviceRoleKey: 'service-key' });
    expect(config.telegram).toMatchObject({ mode: 'webhook', adminIds: [111, 222] });
    expect(config.llm.primary).toMatchObject({ name: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1' });
    expect(config.llm.fallback).toMatchObject({ name: 'custom', model: 'm' });
  });

  describe('Supabase keys', () => {
    const keys = createApiKeys();
    const url = 'https://abc.supabase.co';

    it.each([
      ['SUPABASE_SERVICE_ROLE_KEY', 'the legacy service_role JWT', keys.serviceRole],
      ['SUPABASE_SERVICE_ROLE_KEY', 'a new secret key', keys.secret],
      ['SUPABASE_SECRET_KEY', 'a new secret key', keys.secret],
      ['SUPABASE_SECRET_KEY', 'the legacy service_role JWT', keys.serviceRole],
    ])('%s accepts %s', (variable, _kind, key) => {
      expect(parseConfig({ SUPABASE_URL: url, [variable]: key }).database).toEqual({ kind: 'supabase', url, serviceRoleKey: key });
    });

    it.each([
      ['the publishable key', keys.publishable, /publishable key \(sb_publishable_…\)/],
      ['the legacy anon JWT', keys.anon, /anon key/],
    ])('refuses %s and says which key to copy, without repeating it', (_kind, key, says) => {
      for (const variable of ['SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_SECRET_KEY']) {
        const problems = problemsOf({ SUPABASE_URL: url, [variable]: key });
        expect(problems).toEqual([expect.stringMatching(new RegExp(`^${variable}: `))]);
        expect(problems[0]).toMatch(says);
        expect(problems[0]).toMatch(/secret key \(sb_secret_…\) from Project Settings → API Keys, or the legacy service_role key/);
        expect(problems[0]).not.toContain(key);
      }
    });

    it('refuses two different keys in the two variables', () => {
      expect(problemsOf({ SUPABASE_URL: url, SUPABASE_SECRET_KEY: keys.secret, SUPABASE_SERVICE_ROLE_KEY: keys.serviceRole })).toEqual([
        expect.stringMatching(/^SUPABASE_SECRET_KEY: .*set only one/),
      ]);
      expect(parseConfig({ SUPABASE_URL: url, SUPABASE_SECRET_KEY: keys.secret, SUPABASE_SERVICE_ROLE_KEY: keys.secret }).database.kind).toBe('supabase');
    });

    it('asks for the URL when only a key is set', () => {
      expect(problemsOf({ SUPABASE_SECRET_KEY: keys.secret })).toEqual([expect.stringMatching(/^SUPABASE_URL: required when SUPABASE_SECRET_KEY is set/)]);
    });
  });

  describe('the demo catalog', () => {
    const supabase = { SUPABASE_URL: 'https://abc.supabase.co', SUPABASE_SECRET_KEY: 'sb_secret_x' };

    it('is loaded into the embedded database unless turned off', () => {
      expect(parseConfig({}).loadDemoCatalog).toBe(true);
      expect(parseConfig({ LOAD_DEMO_CATALOG: 'false' }).loadDemoCatalog).toBe(false);
    });

    it('never goes into Supabase unless LOAD_DEMO_CATALOG=true is set explicitly', () => {
      expect(parseConfig(supabase).loadDemoCatalog).toBe(false);
      expect(parseConfig({ ...supabase, LOAD_DEMO_CATALOG: '' }).loadDemoCatalog).toBe(false);
      expect(parseConfig({ ...supabase, LOAD_DEMO_CATALOG: 'true' }).loadDemoCatalog).toBe(true);
    });
  });
});
