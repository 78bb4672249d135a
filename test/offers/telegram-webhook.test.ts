import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';


describe('the bot in webhook mode', () => {
  let emu: TelegramEmulator | undefined;
  let database: TestDatabase | undefined;
  let app: Awaited<ReturnType<typeof startTestApp>> | undefined;
  afterEach(async () => {
    await app?.close();
    await emu?.close();
    await database?.close();
  });

  it('answers updates Telegram posts with the secret header, and refuses posts without it', async () => {
    emu = await startTelegramEmulator({ limits: false });
    database = await pgliteDatabase();
    await createCatalogRepository(database.db).importRecords([{ title: 'The Wall', artist: 'Pink Floyd', status: 'search_request' }]);
    const port = await freePort();
    const secret = 'webhook-secret-0123456789';
    app = await startTestApp(
      database.db,
      {
        TELEGRAM_BOT_TOKEN: emu.token,
        ADMIN_TELEGRAM_ID: '900',
        TELEGRAM_API_ROOT: emu.apiRoot,
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
        TELEGRAM_WEBHOOK_SECRET: secret,
        AI_CONCURRENCY: '0',
      },
      { port },
    );
    expect(emu.webhook()).toEqual({ url: `http://127.0.0.1:${port}/telegram/webhook`, secret_token: secret });

    await emu.user(501).sendText('/start want_1');
    const reply = await emu.waitForSent((m) => m.chat_id === 501, 5000);
    expect(reply.text).toMatch(/Pink Floyd/);

    const forged = await fetch(`${app.url}/telegram/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ update_id: 1, message: { message_id: 1, date: 0, chat: { id: 502, type: 'private' }, text: '/my' } }),
    });
    expect(forged.status).toBe(401);
    expect(emu.sent({ chatId: 502 })).toEqual([]);
  });
});
