import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signTelegramLogin } from '../../server/auth/telegram-login.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
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

async function createRecord(fields: Record<string, unknown>) {
  const { status, body } = await call('POST', '/api/admin/records', { genre: 'Rock', condition: 'VG+', year: 1979, ...fields });
  expect(status).toBe(201);
  // A record without a description is queued for the AI musicologist in the same transaction.
  expect(body.ai_enrichment_queued).toBe(!fields.description);
  return body as { record_id: string; row_number: number };
}

/** A customer who opens the site's deep link and waits for the bot's answer. */
async function want(userId: number, number: number) {
  const user = emu.user(userId, { username: `u${userId}` });
  await user.sendText(`/start want_${number}`);
  return emu.waitForSent((m) => m.chat_id === userId && /Записали|уже в списке/.test(m.text ?? ''), 5000);
}

/** A customer who opens the buy link, then confirms with the button (a link alone reserves nothing). */
async function buy(userId: number, number: number) {
  await emu.user(userId).sendText(`/start buy_${number}`);
  const question = await emu.waitForSent((m) => m.chat_id === userId && /Забронировать\?/.test(m.text ?? ''), 5000);
  await emu.user(userId).pressButton(question, `resv:ok:${number}`);
  return emu.waitForSent((m) => m.chat_id === userId && m.method === 'editMessageText' && /Забронировали/.test(m.text ?? ''), 5000);
}

const offersTo = (chatId: number) => emu.sent({ chatId }).filter((m) => /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''));

beforeEach(async () => {
  emu = await startTelegramEmulator({ botUsername: 'vinyl_test_bot' });
  database = await pgliteDatabase();
  app = await startTestApp(database.db, {
    TELEGRAM_BOT_TOKEN: emu.token,
    TELEGRAM_BOT_USERNAME: emu.botUsername,
    ADMIN_TELEGRAM_ID: String(ADMIN),
    TELEGRAM_API_ROOT: emu.apiRoot,
    ADMIN_API_TOKEN: adminToken,
    PUBLIC_SITE_URL: 'https://vinyl.example',
  });
  await emu.user(ADMIN).sendText('hello');
});

afterEach(async () => {
  await app?.close(); // stops the bot and the worker before the emulator goes away
  await emu?.close();
  await database?.close();
});

describe('pre-order offers over Telegram', () => {
  it('registers /start want_, offers every waiting person 25% off on arrival, and checks the code server-side', async () => {
    const { record_id, row_number } = await createRecord({ title: 'The Wall <Deluxe>', artist: 'Pink & Floyd', price: 6000, status: 'procurement' });
    for (const id of [101, 102, 103]) await want(id, row_number);
    await want(101, row_number); // twice: still one participant

    const patched = await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'available', trigger_notifications: true });
    expect(patched.body).toMatchObject({ status: 'updated', special_offers_created: 3, notifications_sent: 3 });

    for (const id of [101, 102, 103]) await emu.waitForSent((m) => m.chat_id === id && /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''), 5000);
    const offer = offersTo(101)[0]!;
    expect(offer.text).toContain('Pink & Floyd — The Wall <Deluxe>');
    expect(offer.raw_text).toContain('Pink &amp; Floyd — The Wall &lt;Deluxe&gt;');
    expect(offer.text).toMatch(/6 000 ₽ → 4 500 ₽/);
    expect(offer.reply_markup).toMatchObject({ inline_keyboard: [[{ url: `https://t.me/vinyl_test_bot?start=buy_${row_number}` }]] });
    const code = /PRE-\d+-[A-Z2-9]{10}/.exec(offer.text ?? '')![0];

    const lookup = await app.get(`/api/offers/${code}`);
    expect(lookup.body).toMatchObject({ code, valid: true, price: 4500, original_price: 6000, discount_percent: 25 });
    // No trace of the customer (chat 101, user u101); a uuid may contain the digits 101 by chance.
    expect(JSON.stringify(lookup.body)).not.toMatch(/:101[,}]|"101"|u101|chat/);
    const expires = new Date(lookup.body.expires_at).getTime();
    expect(Math.abs(expires - Date.now() - 14 * 86_400_000)).toBeLessThan(60_000);
    const forged = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    expect((await app.get(`/api/offers/${forged}`)).status).toBe(404);
    expect((await app.get('/api/offers/PREORDER_1_101_1705321800')).status).toBe(400);

    // A second arrival offers nobody twice.
    await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'procurement' });
    const again = await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'available' });
    expect(again.body.special_offers_created).toBe(0);
    const [row] = await database.sql<{ n: string }>("select count(*)::text as n from offers where record_id = $1", [record_id]);
    expect(row!.n).toBe('3');
  });

  it('one copy, many waiting: the first purchase reserves it, the others keep their codes (paused) until the sale ends them', async () => {
    const { record_id, row_number } = await createRecord({ title: 'Abbey Road', artist: 'The Beatles', price: 5000, status: 'procurement' });
    for (const id of [201, 202]) await want(id, row_number);
    await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'available' });
    for (const id of [201, 202]) await emu.waitForSent((m) => m.chat_id === id && /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''), 5000);
    const code202 = /PRE-\d+-[A-Z2-9]{10}/.exec(offersTo(202)[0]!.text ?? '')![0];

    const reply = await buy(201, row_number);
    expect(reply.text).toMatch(/3 750 ₽/);
    await emu.waitForSent((m) => m.chat_id === 202 && /забронировал другой покупатель\. Ваш промокод не пропадает/.test(m.text ?? ''), 5000);
    await emu.waitForSent((m) => m.chat_id === ADMIN && /БРОНЬ/.test(m.text ?? ''), 5000);
    // Paused, not cancelled: not valid while the copy is held, valid again if it comes back.
    expect((await app.get(`/api/offers/${code202}`)).body).toMatchObject({ valid: false, status: 'notified' });

    expect((await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'sold' })).status).toBe(200);
    await emu.waitForSent((m) => m.chat_id === 202 && /купил другой покупатель/.test(m.text ?? ''), 5000);
    expect((await app.get(`/api/offers/${code202}`)).body).toMatchObject({ valid: false, status: 'cancelled' });
    await emu.user(202).sendText('/my');
    await emu.waitForSent((m) => m.chat_id === 202 && /Abbey Road: ждём/.test(m.text ?? ''), 5000);
    const stats = (await call('GET', '/api/admin/statistics')).body;
    expect(stats.revenue).toMatchObject({ this_month: 3750, average_check: 3750 });
    expect(stats.engagement).toMatchObject({ conversion_rate: 50, top_genre: 'Rock', offers_sent: 2 });
  });

  it('a blocked person becomes unreachable and reaches the admin list; a 429 is retried after retry_after, sent once', async () => {
    const { record_id, row_number } = await createRecord({ title: 'Blue Train', artist: 'John Coltrane', price: 3000, status: 'procurement' });
    for (const id of [301, 302]) await want(id, row_number);
    emu.blockBot(301);
    emu.injectFaults({ method: 'sendMessage', chatId: 302, status: 429, retryAfter: 1, times: 1 });
    await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'available' });
    await emu.waitForSent((m) => m.chat_id === 302 && /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''), 6000);
    await vi.waitFor(async () => {
      const notes = (await call('GET', '/api/admin/notifications')).body;
      expect(notes.unreachable).toMatchObject([{ participant: 'tg:301', contact: '@u301', title: 'Blue Train' }]);
    }, { timeout: 5000 });
    expect(offersTo(302)).toHaveLength(1);
    expect(offersTo(301)).toHaveLength(0);
  });

  it('/stop cancels a request so it no longer counts; the template from the sheet is used with values escaped', async () => {
    await app.vinyl.demandFeature.offers.upsertTemplates([
      { type: 'special_offer', title: 'Offer', body: 'Для вас: {artist} — {title} за **{discount_price}** <b>не тег</b>. Код {discount_code}, до {expires_date}', active: true },
    ]);
    const { record_id, row_number } = await createRecord({ title: 'Kind of Blue', artist: 'Miles Davis', price: 4000, status: 'procurement' });
    for (const id of [401, 402]) await want(id, row_number);
    await emu.user(402).sendText('/stop');
    await emu.waitForSent((m) => m.chat_id === 402 && /Отписали/.test(m.text ?? ''), 5000);
    const [counts] = await database.sql('select preorder_count, verified_count from records where id = $1', [record_id]);
    expect(counts).toEqual({ preorder_count: 1, verified_count: 1 });
    await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'available' });
    const offer = await emu.waitForSent((m) => m.chat_id === 401 && /Для вас/.test(m.text ?? ''), 5000);
    expect(offer.text).toMatch(/^Для вас: Miles Davis — Kind of Blue за 3 000 ₽ <b>не тег<\/b>\. Код PRE-/);
    expect(offer.entities).toEqual([expect.objectContaining({ type: 'bold' })]);
    expect(emu.sent({ chatId: 402 }).some((m) => /Для вас/.test(m.text ?? ''))).toBe(false);
  });

  it("the offer's link opens the record's page on the website", async () => {
    const { record_id, row_number } = await createRecord({ title: 'Pet Sounds', artist: 'The Beach Boys', price: 2000, status: 'procurement' });
    await want(611, row_number);
    await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'available' });
    const offer = await emu.waitForSent((m) => m.chat_id === 611 && /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''), 5000);
    const link = (offer.entities ?? []).map((entity: { url?: string }) => entity.url).find((url?: string) => url?.includes('/records/'));
    expect(link).toMatch(new RegExp(`^https://vinyl\\.example/records/${row_number}/[a-z0-9-]+/\\?promo=PRE-`));
    const page = await fetch(link!.replace('https://vinyl.example', app.url));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Pet Sounds');
  });

  it('the procurement threshold messages the admin; a verified website login counts, an unverified session does not', async () => {
    const { record_id, row_number } = await createRecord({ title: 'Remain in Light', artist: 'Talking Heads', price: 4000, status: 'search_request', preorder_min: 2 });
    const now = Math.floor(Date.now() / 1000);
    const site = (body: object) => fetch(`${app.url}/api/search-requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Remain in Light', artist: 'Talking Heads', ...body }) }).then((r) => r.json() as Promise<any>);
    const anon = await site({ customer_id: 'sess-1' });
    expect(anon).toMatchObject({ verified: false, telegram_link: `https://t.me/vinyl_test_bot?start=want_${row_number}` });
    const verified = await site({ telegram_auth: signTelegramLogin({ id: 501, username: 'eve', auth_date: now }, emu.token) });
    expect(verified).toMatchObject({ verified: true, record_id, record_status: 'search_request' });
    await want(502, row_number);
    const message = await emu.waitForSent((m) => m.chat_id === ADMIN && /ЗАДАЧА НА ЗАКУПКУ/.test(m.text ?? ''), 5000);
    expect(message.text).toMatch(/Спрос: 2 подтверждённых покупателей \(и ещё 1 без Telegram\)/);
    expect(message.text).toMatch(/~6 000 ₽/); // 2 × 4000 × 0.75
    expect(message.text).toContain(`/mark_found_${row_number}`);
    const notes = (await call('GET', '/api/admin/notifications')).body;
    // The public count is the verified one; unverified interest is listed apart.
    expect(notes.procurement_tasks).toMatchObject([{ record_id, demand_count: 2, total_demand: 2 }]);
    expect(notes.unverified_interest).toMatchObject([{ record_id, count: 1, contacts: ['web:sess-1'] }]);
  });

  it('offers expire on schedule; an overdue reservation falls back to available and the waiting holder\'s code works again', async () => {
    const { record_id, row_number } = await createRecord({ title: 'Pet Sounds', artist: 'The Beach Boys', price: 2000, status: 'procurement' });
    for (const id of [601, 602]) await want(id, row_number);
    await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'available' });
    for (const id of [601, 602]) await emu.waitForSent((m) => m.chat_id === id && /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''), 5000);
    await buy(601, row_number);
    await emu.waitForSent((m) => m.chat_id === 602 && /забронировал другой покупатель/.test(m.text ?? ''), 5000);
    // A held copy pauses the other offers: past their time, they do not expire while it is held.
    await database.sql("update offers set expires_at = now() - interval '1 second' where record_id = $1 and chat_id = 602", [record_id]);
    await database.sql("update reservations set expires_at = now() - interval '1 second' where record_id = $1", [record_id]);
    expect(await app.vinyl.demandFeature.offers.expireDue()).toMatchObject({ offers_expired: 0, reservations_expired: 1 });
    const [record] = await database.sql('select status from records where id = $1', [record_id]);
    expect(record).toEqual({ status: 'available' });
    await emu.waitForSent((m) => m.chat_id === 601 && /Срок брони истёк/.test(m.text ?? ''), 5000);
    const again = await emu.waitForSent((m) => m.chat_id === 602 && /снова свободна/.test(m.text ?? ''), 5000);
    const code = /PRE-\d+-[A-Z2-9]{10}/.exec(offersTo(602)[0]!.text ?? '')![0];
    expect(again.text).toContain(code);
    expect((await app.get(`/api/offers/${code}`)).body).toMatchObject({ valid: true, status: 'notified' });
    expect(offersTo(602)).toHaveLength(1);

    await database.sql("update offers set expires_at = now() - interval '1 second' where record_id = $1 and status in ('pending', 'notified')", [record_id]);
    expect((await app.vinyl.demandFeature.offers.expireDue()).offers_expired).toBeGreaterThan(0);
    expect((await app.get(`/api/offers/${code}`)).body).toMatchObject({ valid: false, status: 'expired' });
  });

  it('admin API refuses a missing token and a bad status, and answers 404 for an unknown record', async () => {
    const noToken = await fetch(`${app.url}/api/admin/statistics`);
    expect(noToken.status).toBe(401);
    const { record_id } = await createRecord({ title: 'Horses', artist: 'Patti Smith', price: 1000 });
    const bad = await call('PATCH', `/api/admin/records/${record_id}/status`, { status: 'lost' });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('status');
    expect((await call('POST', '/api/admin/send-notifications/00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
