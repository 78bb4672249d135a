import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const ADMIN = 900;
let emu: TelegramEmulator;
let database: TestDatabase;
let app: Awaited<ReturnType<typeof startTestApp>>;

const ask = async (userId: number, text: string) => {
  const before = emu.sent({ chatId: userId }).length;
  await emu.user(userId).sendText(text);
  await emu.waitForSent((m) => m.chat_id === userId && emu.sent({ chatId: userId }).indexOf(m) >= before, 5000);
  return emu.sent({ chatId: userId }).at(-1)!.text ?? '';
};
const statusOf = async (number: number) => (await app.get(`/api/records/${number}`)).body.status;

beforeEach(async () => {
  emu = await startTelegramEmulator({ limits: false });
  database = await pgliteDatabase();
  await createCatalogRepository(database.db).importRecords([
    { title: 'The Wall', artist: 'Pink Floyd', status: 'procurement', genre: 'Rock', condition: 'VG+', price: 6000, description: 'Описание' },
    { title: 'Abbey <Road>', artist: 'The Beatles', status: 'search_request', description: 'Описание' },
  ]);
  app = await startTestApp(database.db, {
    TELEGRAM_BOT_TOKEN: emu.token,
    ADMIN_TELEGRAM_ID: String(ADMIN),
    TELEGRAM_API_ROOT: emu.apiRoot,
    AI_CONCURRENCY: '0',
  });
});

afterEach(async () => {
  await app?.close();
  await emu?.close();
  await database?.close();
});

describe('the admin’s record commands in the bot', () => {
  it('/mark_found_<n> from the admin puts the record on sale and offers it to those waiting', async () => {
    await ask(501, '/start want_1');
    expect(await ask(ADMIN, '/view_details_1')).toMatch(/Спрос: 1 \(порог 10\)/);
    expect(await ask(ADMIN, '/mark_found_1')).toMatch(/🟢 Available\nПерсональных предложений: 1/);
    expect(await statusOf(1)).toBe('available');
    await emu.waitForSent((m) => m.chat_id === 501 && /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''), 5000);
  });

  it('refuses anyone else and changes nothing', async () => {
    expect(await ask(777, '/mark_found_1')).toBe('Эта команда доступна только администратору магазина.');
    expect(await ask(777, '/view_details_1')).toBe('Эта команда доступна только администратору магазина.');
    expect(await statusOf(1)).toBe('procurement');
  });

  it('asks for genre, condition and price before a record without them goes on sale, and escapes its title', async () => {
    expect(await ask(ADMIN, '/mark_found_2')).toMatch(/The Beatles — Abbey <Road> не заполнены: Жанр, Состояние, Цена\./);
    expect(await statusOf(2)).toBe('search_request');
    expect(await ask(ADMIN, '/mark_found_99')).toBe('Пластинки №99 нет в каталоге.');
  });
});
