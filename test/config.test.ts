import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../server/config.ts';

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
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8000, trustProxy: false });
    expect(config.cacheTtlSeconds).toBe(600);
    expect(config.telegram).toBeNull();
    expect(config.llm.primary).toBeNull();
    expect(config.offers).toEqual({ discountPercent: 25, ttlDays: 14, reservationDays: 14 });
  });

  it('reads TRUST_PROXY as express does: a flag, a hop count or addresses', () => {
    expect(parseConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
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
      expect.stringMatching(/^SUPABASE_SERVICE_ROLE_KEY: required when SUPABASE_URL is set/),
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
});
