import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryRepository } from '../../server/telegram/delivery-repository.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const adminToken = 'admin-token-0123456789-abcdef';
const ADMIN = 900;

async function until<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('an admin who has not pressed Start yet', () => {
  let emu: TelegramEmulator;
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    emu = await startTelegramEmulator({ botUsername: 'vinyl_test_bot' });
    database = await pgliteDatabase();
    app = await startTestApp(database.db, {
      TELEGRAM_BOT_TOKEN: emu.token,
      TELEGRAM_BOT_USERNAME: emu.botUsername,
      ADMIN_TELEGRAM_ID: String(ADMIN),
      TELEGRAM_API_ROOT: emu.apiRoot,
      ADMIN_API_TOKEN: adminToken,
    });
  });
  afterAll(async () => {
    await app?.close();
    await emu?.close();
    await database?.close();
  });

  it('gets the messages Telegram refused at their first /start', async () => {
    // A Telegram account that exists but has never opened the bot (the emulator answers 403).
    const admin = emu.user(ADMIN, { username: 'boss' });
    const response = await fetch(`${app.url}/api/admin/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Remain in Light', artist: 'Talking Heads', genre: 'Rock', condition: 'VG+', price: 4000, status: 'search_request', preorder_min: 1 }),
    });
    const { row_number } = (await response.json()) as { row_number: number };
    // A customer's want reaches the threshold: the admin's procurement task is sent and refused.
    await emu.user(502).sendText(`/start want_${row_number}`);
    const held = await until(async () => {
      const rows = await database.sql<{ status: string; last_error: string }>(
        `select status, last_error from telegram_deliveries where chat_id = $1 and kind = 'admin_event'`, [ADMIN]);
      return rows.length > 0 && rows.every((r) => r.status === 'held') && rows;
    }, 'the admin message to be held');
    expect(held[0]!.last_error).toMatch(/can't initiate conversation/);
    expect(emu.sent({ chatId: ADMIN })).toEqual([]);

    await admin.sendText('/start');
    const task = await emu.waitForSent((m) => m.chat_id === ADMIN && /ЗАДАЧА НА ЗАКУПКУ/.test(m.text ?? ''), 10_000);
    expect(task.text).toContain('Talking Heads — Remain in Light');
    await until(async () => {
      const rows = await database.sql<{ status: string }>(`select status from telegram_deliveries where chat_id = $1 and kind = 'admin_event'`, [ADMIN]);
      return rows.every((r) => r.status === 'sent');
    }, 'the held message to be marked sent');
  });

});

describe("the admin panel's alerts before the admin pressed Start", () => {
  it('a silent sheet is held for the admin and told at their /start', async () => {
    const emu = await startTelegramEmulator({ botUsername: 'vinyl_test_bot' });
    const database = await pgliteDatabase();
    // The sheet last pushed two hours ago: the alerts' first round reports it.
    await database.sql(`insert into sheet_sync_log (kind, errors, at) values ('push', 0, now() - interval '2 hours')`);
    const admin = emu.user(ADMIN, { username: 'boss' });
    const app = await startTestApp(database.db, { TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_BOT_USERNAME: emu.botUsername, ADMIN_TELEGRAM_ID: String(ADMIN), TELEGRAM_API_ROOT: emu.apiRoot });
    try {
      const held = await until(async () => {
        const rows = await database.sql<{ html: string; last_error: string }>(
          `select payload ->> 'html' as html, last_error from telegram_deliveries where chat_id = $1 and status = 'held'`, [ADMIN]);
        return rows.length === 1 && rows;
      }, 'the alert to be held');
      expect(held[0]!.html).toMatch(/Таблица молчит/);
      expect(held[0]!.last_error).toMatch(/can't initiate conversation/);
      expect(emu.sent({ chatId: ADMIN })).toEqual([]);

      await admin.sendText('/start');
      const alert = await emu.waitForSent((m) => m.chat_id === ADMIN && /Таблица молчит/.test(m.text ?? ''), 10_000);
      expect(alert.raw_text).toContain('Проверьте, что надстройка «Винил» подключена');
    } finally {
      await app.close();
      await emu.close();
      await database.close();
    }
  });
});

describe('held admin messages at /start', () => {
  it('only the newest 20 go out; the older ones are cancelled with the reason', async () => {
    const database = await pgliteDatabase();
    try {
      await database.sql(
        `insert into telegram_deliveries (kind, chat_id, payload, status, attempts)
         select 'admin_event', 900, jsonb_build_object('type', 'note', 'details', 'n' || i), 'held', 1 from generate_series(1, 25) i`);
      await database.sql(`insert into telegram_deliveries (kind, chat_id, payload, status) values ('admin_event', 901, '{}', 'held')`);
      expect(await createDeliveryRepository(database.db).resumeHeld(900)).toBe(20);
      const rows = await database.sql<{ details: string; status: string; attempts: number }>(
        `select payload ->> 'details' as details, status, attempts from telegram_deliveries where chat_id = 900 order by id`);
      expect(rows.slice(0, 5).map((r) => r.status)).toEqual(Array(5).fill('cancelled'));
      expect(rows.slice(5)).toEqual(Array.from({ length: 20 }, (_, i) => ({ details: `n${i + 6}`, status: 'pending', attempts: 0 })));
      // Another admin's held message waits for their own /start.
      expect(await database.sql(`select status from telegram_deliveries where chat_id = 901`)).toEqual([{ status: 'held' }]);
    } finally {
      await database.close();
    }
  });
});

describe('alerts sent straight through the Bot API before the admin pressed Start', () => {
  it('a background task down and back again: both alerts held (403 and 400 "chat not found") and sent at each admin\'s /start', async () => {
    const emu = await startTelegramEmulator({ botUsername: 'vinyl_test_bot' });
    const database = await pgliteDatabase();
    // 900 has a Telegram account that never opened the bot (403); 901 never wrote to it at all (400).
    const [started, stranger] = [900, 901];
    emu.user(started, { username: 'boss' });
    const app = await startTestApp(
      database.db,
      { TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_BOT_USERNAME: emu.botUsername, ADMIN_TELEGRAM_ID: `${started},${stranger}`, TELEGRAM_API_ROOT: emu.apiRoot },
      { supervision: { initialDelayMs: 20, maxDelayMs: 150, failedAfterFailures: 3 } },
    );
    try {
      const held = (chatId: number) =>
        database.sql<{ html: string; last_error: string }>(
          `select payload ->> 'html' as html, last_error from telegram_deliveries where chat_id = $1 and status = 'held' order by id`, [chatId]);
      // The queue's claim breaks: the supervisor tells the admins straight through the Bot API.
      await database.sql('alter function delivery_claim(text, integer, integer) rename to delivery_claim_broken');
      await until(async () => (await held(stranger)).length === 1 && (await held(started)).length === 1, 'the failure alerts to be held');
      await database.sql('alter function delivery_claim_broken rename to delivery_claim');
      await until(async () => (await held(stranger)).length === 2 && (await held(started)).length === 2, 'the recovery alerts to be held');
      expect((await held(started)).map((r) => r.last_error)).toEqual(Array(2).fill("403 Forbidden: bot can't initiate conversation with a user"));
      expect((await held(stranger)).map((r) => r.last_error)).toEqual(Array(2).fill('400 Bad Request: chat not found'));
      expect((await held(started))[0]!.html).toContain('<code>telegram-delivery</code>');
      expect(emu.sent({ chatId: started })).toEqual([]);

      for (const chatId of [started, stranger]) {
        await emu.user(chatId).sendText('/start');
        const failing = await emu.waitForSent((m) => m.chat_id === chatId && /Сбой фоновой задачи/.test(m.text ?? ''), 10_000);
        expect(failing.raw_text).toContain('<code>telegram-delivery</code>');
        await emu.waitForSent((m) => m.chat_id === chatId && /снова работает/.test(m.text ?? ''), 10_000);
      }
      await until(async () => {
        const rows = await database.sql<{ status: string }>(`select status from telegram_deliveries where chat_id in ($1, $2)`, [started, stranger]);
        return rows.length === 4 && rows.every((r) => r.status === 'sent');
      }, 'the held alerts to be marked sent');
    } finally {
      await app.close();
      await emu.close();
      await database.close();
    }
  });
});
