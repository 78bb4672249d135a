import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const adminToken = 'admin-token-0123456789-abcdef';
const ADMIN = 900;
// Milliseconds instead of seconds and minutes, so a failure episode fits in a test.
const supervision = { initialDelayMs: 20, maxDelayMs: 150, failedAfterFailures: 4 };

let emu: TelegramEmulator;
let database: TestDatabase;
let app: Awaited<ReturnType<typeof startTestApp>>;

async function start() {
  app = await startTestApp(
    database.db,
    {
      TELEGRAM_BOT_TOKEN: emu.token,
      TELEGRAM_BOT_USERNAME: emu.botUsername,
      ADMIN_TELEGRAM_ID: String(ADMIN),
      TELEGRAM_API_ROOT: emu.apiRoot,
      ADMIN_API_TOKEN: adminToken,
    },
    { supervision },
  );
}

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(app.url + path, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** Polls GET /health until `check` holds for its answer. */
async function healthWhen(check: (health: { status: number; body: any }) => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = await app.get('/health');
    if (check(health)) return health;
    if (Date.now() > deadline) throw new Error(`/health never matched; last: ${JSON.stringify(health.body.tasks)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const adminMessages = (pattern: RegExp) => emu.sent({ chatId: ADMIN }).filter((m) => pattern.test(m.text ?? ''));

beforeEach(async () => {
  emu = await startTelegramEmulator({ botUsername: 'vinyl_test_bot' });
  database = await pgliteDatabase();
  // The admin pressed Start once: a bot cannot write to someone first.
  await emu.user(ADMIN).sendText('hello');
});

afterEach(async () => {
  await app?.close();
  await emu?.close();
  await database?.close();
});

describe('supervised background tasks', () => {
  it('the delivery worker survives a failing claim: restarted with backoff, the admin told once, the offer delivered after recovery', async () => {
    await start();
    const healthy = await app.get('/health');
    expect(healthy.status).toBe(200);
    expect(healthy.body.tasks['telegram-delivery']).toMatchObject({ state: 'running', restarts: 0, failures_in_row: 0, last_error: null });
    expect(Object.keys(healthy.body.tasks)).toEqual(
      expect.arrayContaining(['statistics-refresher', 'offer-settings', 'offers-scheduler', 'telegram-bot', 'telegram-delivery', 'ai-queue-worker']),
    );

    const created = await call('POST', '/api/admin/records', { title: 'Kind of Blue', artist: 'Miles Davis', genre: 'Jazz', condition: 'VG+', year: 1959, price: 4000, status: 'procurement' });
    expect(created.status).toBe(201);
    await emu.user(101, { username: 'u101' }).sendText(`/start want_${created.body.row_number}`);
    await emu.waitForSent((m) => m.chat_id === 101 && /Записали/.test(m.text ?? ''), 5000);

    // The queue's claim function breaks (on this test's own database copy only).
    await database.sql('alter function delivery_claim(text, integer, integer) rename to delivery_claim_broken');
    const patched = await call('PATCH', `/api/admin/records/${created.body.record_id}/status`, { status: 'available' });
    expect(patched.body).toMatchObject({ status: 'updated', special_offers_created: 1 });

    const failing = await healthWhen((h) => h.body.tasks['telegram-delivery'].state === 'failed');
    expect(failing.status).toBe(503);
    expect(failing.body).toMatchObject({ status: 'degraded', failed_tasks: ['telegram-delivery'], database: { reachable: true } });
    expect(failing.body.tasks['telegram-delivery'].last_error).toMatch(/delivery_claim/);
    expect(failing.body.tasks['offers-scheduler'].state).toBe('running');

    const alert = await emu.waitForSent((m) => m.chat_id === ADMIN && /Сбой фоновой задачи/.test(m.text ?? ''), 5000);
    expect(alert.text).toContain('telegram-delivery');
    expect(alert.text).toMatch(/delivery_claim/);
    expect(alert.raw_text).toContain('<code>telegram-delivery</code>');
    // Still failing, many restarts later: no second alert in the same episode, and no offer sent.
    await healthWhen((h) => h.body.tasks['telegram-delivery'].failures_in_row >= supervision.failedAfterFailures + 4);
    expect(adminMessages(/Сбой фоновой задачи/)).toHaveLength(1);
    expect(emu.sent({ chatId: 101 }).filter((m) => /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''))).toHaveLength(0);

    await database.sql('alter function delivery_claim_broken rename to delivery_claim');
    await emu.waitForSent((m) => m.chat_id === 101 && /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''), 5000);
    await emu.waitForSent((m) => m.chat_id === ADMIN && /снова работает/.test(m.text ?? ''), 5000);
    const recovered = await healthWhen((h) => h.status === 200);
    const delivery = recovered.body.tasks['telegram-delivery'];
    expect(delivery).toMatchObject({ state: 'running', failures_in_row: 0, failing_since: null });
    expect(delivery.restarts).toBeGreaterThanOrEqual(supervision.failedAfterFailures + 4);
    expect(Date.now() - Date.parse(delivery.last_success_at)).toBeLessThan(5000);
    expect(recovered.body.failed_tasks).toEqual([]);
    expect(adminMessages(/Сбой фоновой задачи/)).toHaveLength(1);
    expect(adminMessages(/снова работает/)).toHaveLength(1);
  });

  it("the bot's polling is restarted after getUpdates fails and answers customers again", async () => {
    emu.injectFaults({ method: 'getUpdates', status: 400, description: 'Bad Request: injected fault', times: 3 });
    await start();
    const bot = (await healthWhen((h) => h.body.tasks['telegram-bot'].restarts >= 3 && h.body.tasks['telegram-bot'].last_success_at !== null)).body.tasks['telegram-bot'];
    expect(bot).toMatchObject({ state: 'running', failures_in_row: 0 });
    expect(bot.last_error).toMatch(/injected fault/);
    await emu.user(102).sendText('/my');
    await emu.waitForSent((m) => m.chat_id === 102, 5000);
    // Three failures stay under the policy: nothing to tell the admin.
    expect(adminMessages(/telegram-bot/)).toHaveLength(0);
  });
});
