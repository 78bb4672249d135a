import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startTelegramEmulator, type SentMessage, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const adminToken = 'admin-token-0123456789-abcdef';
const ADMIN = 900;

let emu: TelegramEmulator;
let database: TestDatabase;
let app: Awaited<ReturnType<typeof startTestApp>>;

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(app.url + path, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** A record on sale (a description, so no AI job), or any other status given. */
async function createRecord(fields: Record<string, unknown> = {}) {
  const { status, body } = await call('POST', '/api/admin/records', {
    title: 'Animals', artist: 'Pink Floyd', genre: 'Rock', condition: 'VG+', year: 1977, price: 4000, description: 'Пластинка.', ...fields,
  });
  expect(status).toBe(201);
  return body as { record_id: string; row_number: number };
}

const said = (chatId: number, pattern: RegExp, timeout = 5000) =>
  emu.waitForSent((m) => m.chat_id === chatId && pattern.test(m.text ?? ''), timeout);

async function want(userId: number, number: number) {
  await emu.user(userId, { username: `u${userId}` }).sendText(`/start want_${number}`);
  return said(userId, new RegExp(`want|Записали|уже в списке|Забронировать`));
}

/** Opens /start buy_<n> and returns the bot's answer (a question with a confirm button, or why not). */
async function ask(userId: number, number: number) {
  const before = emu.sent({ chatId: userId }).length;
  await emu.user(userId, { username: `u${userId}` }).sendText(`/start buy_${number}`);
  return emu.waitForSent((m) => m.chat_id === userId && m.method === 'sendMessage' && emu.sent({ chatId: userId }).indexOf(m) >= before, 5000);
}

async function confirm(userId: number, question: SentMessage, number: number) {
  await emu.user(userId).pressButton(question, `resv:ok:${number}`);
  return emu.waitForSent((m) => m.chat_id === userId && m.method === 'editMessageText' && m.message_id === question.message_id, 5000);
}

const activeReservations = async (chatId?: number) =>
  (await database.sql<{ number: number }>(
    `select r.number from reservations x join records r on r.id = x.record_id where x.status = 'active' ${chatId ? 'and x.chat_id = $1' : ''} order by r.number`,
    chatId ? [chatId] : [],
  )).map((r) => r.number);

const code = (m: SentMessage) => /PRE-\d+-[A-Z2-9]{10}/.exec(m.text ?? '')![0];

beforeEach(async () => {
  emu = await startTelegramEmulator({ botUsername: 'vinyl_test_bot', limits: false });
  database = await pgliteDatabase();
  app = await startTestApp(database.db, {
    TELEGRAM_BOT_TOKEN: emu.token,
    TELEGRAM_BOT_USERNAME: emu.botUsername,
    ADMIN_TELEGRAM_ID: String(ADMIN),
    TELEGRAM_API_ROOT: emu.apiRoot,
    TELEGRAM_RATE_PER_SECOND: '1000',
    ADMIN_API_TOKEN: adminToken,
    PUBLIC_SITE_URL: 'https://vinyl.example',
  });
  await emu.user(ADMIN).sendText('hello');
});

afterEach(async () => {
  await app?.close();
  await emu?.close();
  await database?.close();
});

describe('reservations a careful shop allows', () => {
  it('buy_2 … buy_40 from one person: the links reserve nothing, pressing every button reserves at most the limit (2)', async () => {
    const numbers: number[] = [];
    for (let i = 1; i <= 40; i++) numbers.push((await createRecord({ title: `Record ${i}`, artist: `Artist ${i}` })).row_number);
    // One on sale without a price, as records from before the for-sale rule can be.
    const priceless = numbers[5]!;
    await database.sql('alter table records disable trigger records_check_trg');
    await database.sql('update records set price = null where number = $1', [priceless]);
    await database.sql('alter table records enable trigger records_check_trg');

    const thief = 700;
    const questions = new Map<number, SentMessage>();
    for (const n of numbers.slice(1)) questions.set(n, await ask(thief, n));
    expect(await activeReservations()).toEqual([]);
    expect(questions.get(priceless)!.text).toMatch(/цена ещё не назначена/);
    expect(questions.get(priceless)!.reply_markup).toBeUndefined();
    expect(questions.get(numbers[1]!)!.text).toMatch(/Цена: 4 000 ₽\.[\s\S]*Забронировать\?/);

    // Every confirm button pressed at once: the database counts the person's reservations one at a time.
    const withButton = [...questions].filter(([n]) => n !== priceless);
    const answers = await Promise.all(withButton.map(([n, q]) => confirm(thief, q, n)));
    const reserved = answers.filter((a) => /Забронировали/.test(a.text ?? ''));
    expect(reserved).toHaveLength(2);
    expect(answers.filter((a) => /У вас уже 2 активных брони/.test(a.text ?? ''))).toHaveLength(withButton.length - 2);
    expect(await activeReservations(thief)).toHaveLength(2);
    const [available] = await database.sql<{ n: string }>("select count(*)::text as n from records where status = 'available'");
    expect(Number(available!.n)).toBe(38);
    await vi.waitFor(() => expect(emu.unansweredCallbacks()).toEqual([]));
  });

  it('after offers go out only the people who waited may reserve for the window; others join the queue; then anyone, and holders keep their price', async () => {
    const { record_id, row_number } = await createRecord({ title: 'Wish You Were Here', status: 'procurement' });
    await want(801, row_number);
    await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'available' });
    const offer = await said(801, /ЭКСКЛЮЗИВНОЕ/);

    // A stranger: the copy belongs to those who waited, for 48 hours; they may join the queue.
    const refused = await ask(802, row_number);
    expect(refused.text).toMatch(/достаётся тем, кто её ждал/);
    await emu.user(802).pressButton(refused, `resv:want:${row_number}`);
    await said(802, /Записали вас в очередь: Pink Floyd — Wish You Were Here/);
    const [window] = await database.sql<{ hours: number }>(
      'select round(extract(epoch from exclusive_until - now()) / 3600)::int as hours from offer_windows where record_id = $1', [record_id]);
    expect(window!.hours).toBe(48);
    // want_ from another stranger during the window: straight into the queue, no reservation.
    await emu.user(803).sendText(`/start want_${row_number}`);
    await said(803, /достаётся тем, кто её ждал[\s\S]*Записали вас в очередь/);
    expect(await activeReservations()).toEqual([]);

    // After the window anyone may reserve at the list price; the holder's code still holds while the copy is there.
    await database.sql("update offer_windows set exclusive_until = now() - interval '1 second' where record_id = $1", [record_id]);
    expect((await ask(802, row_number)).text).toMatch(/Цена: 4 000 ₽\./);
    expect((await app.get(`/api/offers/${code(offer)}`)).body).toMatchObject({ valid: true, price: 3000 });
    const holder = await ask(801, row_number);
    expect(holder.text).toMatch(/3 000 ₽ по вашему промокоду PRE-/);
    expect((await confirm(801, holder, row_number)).text).toMatch(/Забронировали[\s\S]*3 000 ₽/);
  });

  it('want_ on a record in stock offers to buy it instead of a waiting list', async () => {
    const { record_id, row_number } = await createRecord({ title: 'Meddle' });
    await emu.user(810).sendText(`/start want_${row_number}`);
    const question = await said(810, /Забронировать\?/);
    expect(question.reply_markup).toMatchObject({ inline_keyboard: [[{ callback_data: `resv:ok:${row_number}` }]] });
    const [row] = await database.sql('select preorder_count from records where id = $1', [record_id]);
    expect(row).toEqual({ preorder_count: 0 });
    expect((await confirm(810, question, row_number)).text).toMatch(/Забронировали/);
  });

  it('a customer cancels in /my and the copy goes to the waiting holder (told meanwhile that their offer waits), whose code works again; the admin is told and cancels from the bot', async () => {
    const { record_id, row_number } = await createRecord({ title: 'Obscured by Clouds', status: 'procurement' });
    for (const id of [821, 822]) await want(id, row_number);
    await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'available' });
    const offer822 = await said(822, /ЭКСКЛЮЗИВНОЕ/);
    await said(821, /ЭКСКЛЮЗИВНОЕ/);

    const early822 = await ask(822, row_number);
    const q = await ask(821, row_number);
    await confirm(821, q, row_number);
    const notice = await said(ADMIN, /БРОНЬ[\s\S]*Obscured by Clouds/);
    expect(notice.reply_markup).toMatchObject({ inline_keyboard: [[{ text: '❌ Отменить бронь' }]] });
    await said(822, /Ваш промокод не пропадает/);
    // While 821's reservation holds the copy, 822's buy link and earlier button say their offer waits.
    const paused = await ask(822, row_number);
    expect(paused.text).toMatch(/этот экземпляр сейчас забронировал другой покупатель\. Ваше предложение \(промокод PRE-[^)]+\) сохранено, и вы в очереди/);
    expect(paused.reply_markup).toBeUndefined();
    expect((await confirm(822, early822, row_number)).text).toMatch(/Ваше предложение \(промокод PRE-[^)]+\) сохранено/);
    // Someone without an offer is told the copy is not for sale now.
    expect((await ask(823, row_number)).text).toMatch(/сейчас недоступна/);
    expect((await app.get(`/api/offers/${code(offer822)}`)).body).toMatchObject({ valid: false });

    await emu.user(821).sendText('/my');
    const my = await said(821, /Ваши брони:[\s\S]*Obscured by Clouds: 3 000 ₽/);
    const [reservation] = await database.sql<{ id: string }>("select id from reservations where status = 'active'");
    await emu.user(821).pressButton(my, `resv:cx:${reservation!.id}`);
    await said(821, /Бронь отменена: Pink Floyd — Obscured by Clouds/);
    await said(822, /снова свободна! Ваш промокод PRE-/);
    expect((await app.get(`/api/offers/${code(offer822)}`)).body).toMatchObject({ valid: true });
    await said(ADMIN, /отменена покупателем/);
    // The one who let it go is not offered it again at once.
    expect((await ask(821, row_number)).text).toMatch(/достаётся тем, кто её ждал/);

    // 822 reserves; the admin lists reservations and cancels it; 822 is told.
    await confirm(822, await ask(822, row_number), row_number);
    await emu.user(ADMIN).sendText('/reservations');
    const list = await said(ADMIN, /Активные брони/);
    expect(list.text).toMatch(new RegExp(`#${row_number} Pink Floyd — Obscured by Clouds: @u822, 3 000 ₽`));
    const [second] = await database.sql<{ id: string }>("select id from reservations where status = 'active'");
    await emu.user(ADMIN).pressButton(list, `resv:ax:${second!.id}`);
    await said(ADMIN, /Бронь отменена: #\d+/);
    await said(822, /Магазин отменил вашу бронь/);
    expect(await activeReservations()).toEqual([]);
    const [record] = await database.sql('select status from records where id = $1', [record_id]);
    expect(record).toEqual({ status: 'available' });
    await vi.waitFor(() => expect(emu.unansweredCallbacks()).toEqual([]));
  });
});
