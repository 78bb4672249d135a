import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { freePort } from '../support/free-port.ts';
import { startTestApp } from '../support/test-app.ts';

const adminToken = 'admin-token-0123456789-abcdef';
const llmKey = 'sk-test-0123456789abcdef-secret';

describe('/health and the deep check', () => {
  let database: TestDatabase;
  let emu: TelegramEmulator;
  let api: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    emu = await startTelegramEmulator({ limits: false });
    database = await pgliteDatabase();
    api = await startTestApp(database.db, {
      ADMIN_API_TOKEN: adminToken,
      TELEGRAM_BOT_TOKEN: emu.token,
      ADMIN_TELEGRAM_ID: '900',
      TELEGRAM_API_ROOT: emu.apiRoot,
      SHEET_SECRET: 'sheet-secret-0123456789-abcdef',
      // Nothing listens there: the provider is down.
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: llmKey,
      OPENAI_BASE_URL: `http://127.0.0.1:${await freePort()}/v1`,
      AI_CONCURRENCY: '0',
    });
  });
  afterAll(async () => {
    await api?.close();
    await emu?.close();
    await database?.close();
  });

  it('the plain check calls no integration and needs no token', async () => {
    const getMeBefore = emu.calls('getMe');
    const health = await api.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.deep).toBeUndefined();
    expect(emu.calls('getMe')).toBe(getMeBefore);
  });

  it('?deep=1 needs the admin token', async () => {
    const refused = await api.get('/health?deep=1');
    expect(refused.status).toBe(401);
    expect(refused.body.details[0].field).toBe('authorization');
    expect((await api.get('/health?deep=maybe')).status).toBe(400);
  });

  it('?deep=1 tries the database, Telegram getMe, the LLM provider and the sheet, without leaking secrets', async () => {
    const getMeBefore = emu.calls('getMe');
    const health = await api.get('/health?deep=1', { authorization: `Bearer ${adminToken}` });
    expect(health.status).toBe(200);
    const deep = health.body.deep;
    expect(deep.database).toMatchObject({ status: 'ok', detail: 'pglite' });
    expect(deep.telegram).toMatchObject({ status: 'ok', detail: '@vinyl_test_bot' });
    expect(emu.calls('getMe')).toBe(getMeBefore + 1);
    expect(deep.llm.status).toBe('failed');
    expect(deep.sheet).toMatchObject({ status: 'failed', detail: 'the sheet has never called the server', seconds_since_heard: null });
    expect(JSON.stringify(health.body)).not.toContain(llmKey);
    expect(JSON.stringify(health.body)).not.toContain(emu.token);
  });

  it('the bot gets the same check as a service function; a signed sheet call counts as heard from', async () => {
    // What every signed request of the add-on does first (server/sheet/sheet-auth.ts).
    expect(await database.db.read('sheet_nonce_claim', { p_nonce: randomBytes(12).toString('hex') })).toBe(true);
    const deep = await api.vinyl.deepHealth();
    expect(deep.sheet.status).toBe('ok');
    expect(deep.sheet.seconds_since_heard).toBeLessThan(60);
    expect(deep.database.latency_ms).toBeGreaterThanOrEqual(0);
  });
});
