import { afterEach, describe, expect, it } from 'vitest';
import { signTelegramLogin } from '../../server/auth/telegram-login.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const adminToken = 'admin-token-0123456789-abcdef';
const ADMIN = 900;

let emu: TelegramEmulator | undefined;
let database: TestDatabase | undefined;
let app: Awaited<ReturnType<typeof startTestApp>> | undefined;

async function start(env: Record<string, string> = {}) {
  emu = await startTelegramEmulator({ botUsername: 'vinyl_test_bot', limits: false });
  database = await pgliteDatabase();
  app = await startTestApp(database.db, {
    TELEGRAM_BOT_TOKEN: emu.token,
    TELEGRAM_BOT_USERNAME: emu.botUsername,
    ADMIN_TELEGRAM_ID: String(ADMIN),
    TELEGRAM_API_ROOT: emu.apiRoot,
    TELEGRAM_RATE_PER_SECOND: '1000',
    ADMIN_API_TOKEN: adminToken,
    // The tests speak for several addresses through X-Forwarded-For, as behind one proxy.
    TRUST_PROXY: '1',
    ...env,
  });
  await emu.user(ADMIN).sendText('hello');
  // Written by a background task at start: wait for it, so the limits below are the ones in force.
  await expect.poll(async () => (await database!.sql("select 1 from app_settings where key = 'demand_per_person_per_day'")).length, { timeout: 10_000 }).toBe(1);
  return { emu, database, app };
}

afterEach(async () => {
  await app?.close();
  await emu?.close();
  await database?.close();
  app = emu = database = undefined;
});

async function request(body: Record<string, unknown>, ip = '203.0.113.1') {
  const response = await fetch(`${app!.url}/api/search-requests`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function admin(method: string, path: string, body?: unknown) {
  const response = await fetch(app!.url + path, {
    method, headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const records = async (title: string) =>
  database!.sql<{ number: number; status: string; preorder_count: number; verified_count: number }>(
    'select number, status, preorder_count, verified_count from records where title = $1 and deleted_at is null order by number', [title]);

describe('demand that counts people, not requests', () => {
  it('unverified interest waits unseen until a verified person asks through the bot; then one record carries both, the public count only the verified', async () => {
    const { emu } = await start();
    const first = await request({ title: 'Animals', artist: 'Pink Floyd', customer_id: 'sess-1' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'pending', record_id: null, pre_order_count: 0 });
    expect(first.body.telegram_link).toMatch(/^https:\/\/t\.me\/vinyl_test_bot\?start=req_[0-9a-f]{32}$/);
    await request({ title: 'animals', artist: 'pink floyd', contact: 'fan@example.com' });
    expect(await records('Animals')).toEqual([]);
    const notes = await admin('GET', '/api/admin/notifications');
    expect(notes.body.unverified_titles).toMatchObject([{ title: 'Animals', artist: 'Pink Floyd', count: 2, contacts: ['web:sess-1', 'fan@example.com'] }]);

    // The visitor opens the link in Telegram: now a verified request, the record starts.
    const payload = new URL(first.body.telegram_link).searchParams.get('start');
    await emu.user(601, { username: 'ann' }).sendText(`/start ${payload}`);
    await emu.waitForSent((m) => m.chat_id === 601 && /Записали: Pink Floyd — Animals/.test(m.text ?? ''), 5000);
    expect(await records('Animals')).toMatchObject([{ status: 'search_request', preorder_count: 1, verified_count: 1 }]);
    const [people] = await database!.sql<{ n: string }>(
      "select count(*)::text as n from record_participants p join records r on r.id = p.record_id where r.title = 'Animals' and not p.verified");
    expect(people!.n).toBe('2');
    expect((await admin('GET', '/api/admin/notifications')).body.unverified_titles).toEqual([]);
  });

  it('unverified interest in an existing record moves neither its public count nor its ranking', async () => {
    await start();
    const created = await admin('POST', '/api/admin/records', { title: 'Meddle', artist: 'Pink Floyd', status: 'procurement', description: 'x' });
    const [before] = await database!.sql<{ priority: number }>('select priority from records where id = $1', [created.body.record_id]);
    for (let i = 0; i < 5; i++) expect((await request({ title: 'Meddle', artist: 'Pink Floyd', customer_id: `s-${i}` })).body).toMatchObject({ status: 'added', pre_order_count: 0 });
    const [after] = await database!.sql<{ priority: number; preorder_count: number }>('select priority, preorder_count from records where id = $1', [created.body.record_id]);
    expect(after).toEqual({ priority: before!.priority, preorder_count: 0 });
    expect((await app!.get(`/api/records/${created.body.record_id}`)).body.preorder).toMatchObject({ count: 0 });
    expect((await admin('GET', '/api/admin/notifications')).body.unverified_interest).toMatchObject([{ record_id: created.body.record_id, count: 5 }]);
  });

  it('limits hold across addresses: per person a day, per title an hour, and the hourly budget, which tells the admin', async () => {
    const { emu } = await start({
      DEMAND_PER_PERSON_PER_DAY: '3', DEMAND_UNVERIFIED_PER_TITLE_PER_HOUR: '2', DEMAND_UNVERIFIED_PER_HOUR: '8',
    });
    // One person from four addresses: the fourth new title is refused.
    const person = await Promise.all([1, 2, 3, 4].map((i) => request({ title: `Title ${i}`, artist: 'X', customer_id: 'same' }, `198.51.100.${i}`)));
    expect(person.map((r) => r.status).sort()).toEqual([202, 202, 202, 429]);
    expect(person.find((r) => r.status === 429)!.body.details).toEqual([{ field: 'customer_id', message: expect.stringMatching(/at most 3 new requests a day/) }]);
    // Three "people" for one title from three addresses: the third is refused.
    const title = [];
    for (const i of [1, 2, 3]) title.push(await request({ title: 'Hot', artist: 'Y', customer_id: `p${i}` }, `192.0.2.${i}`));
    expect(title.map((r) => r.status)).toEqual([202, 202, 429]);
    expect(title[2]!.body.details[0].field).toBe('title');
    // 4 + 3 used of 8 this hour: one more goes through, then the budget trips and the admin is told once.
    const rest = [];
    for (const i of [1, 2, 3]) rest.push(await request({ title: `Other ${i}`, artist: 'Z', customer_id: `q${i}` }, `10.0.0.${i}`));
    expect(rest.map((r) => r.status)).toEqual([202, 429, 429]);
    expect(rest[1]!.body).toMatchObject({ error: 'the store takes no more new requests this hour' });
    await emu.waitForSent((m) => m.chat_id === ADMIN && /исчерпан/.test(m.text ?? ''), 5000);
    const [events] = await database!.sql<{ n: string }>("select count(*)::text as n from admin_events where type = 'demand_budget'");
    expect(events!.n).toBe('1');
  });

  it('the hourly budget of new titles holds for verified people too', async () => {
    const { emu } = await start({ DEMAND_NEW_TITLES_PER_HOUR: '2' });
    const now = Math.floor(Date.now() / 1000);
    const results = [];
    for (const i of [1, 2, 3]) {
      results.push(await request({ title: `New ${i}`, artist: 'V', telegram_auth: signTelegramLogin({ id: 700 + i, auth_date: now }, emu.token) }));
    }
    expect(results.map((r) => r.status)).toEqual([201, 201, 429]);
    expect(await records('New 3')).toEqual([]);
  });

  it('an admin record of a title customers asked for takes their request over; a loose match asks the admin', async () => {
    const { emu } = await start();
    const now = Math.floor(Date.now() / 1000);
    for (const id of [801, 802, 803]) await emu.user(id).sendText('/start');
    for (const id of [801, 802]) {
      await request({ title: 'Animals', artist: 'Pink Floyd', telegram_auth: signTelegramLogin({ id, auth_date: now }, emu.token) });
    }
    const [requested] = await records('Animals');
    const made = await admin('POST', '/api/admin/records', { title: 'Animals', artist: 'Pink Floyd', genre: 'Rock', condition: 'VG+', price: 5000 });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ status: 'joined_request', row_number: requested!.number });
    expect(await records('Animals')).toMatchObject([{ number: requested!.number, status: 'available', verified_count: 2 }]);
    for (const id of [801, 802]) await emu.waitForSent((m) => m.chat_id === id && /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''), 5000);

    // A loose match (one word differs by a letter): a new record, and the admin decides.
    await request({ title: 'Wish You Were Here', artist: 'Pink Floyd', telegram_auth: signTelegramLogin({ id: 803, auth_date: now }, emu.token) });
    const [wish] = await records('Wish You Were Here');
    const loose = await admin('POST', '/api/admin/records', { title: 'Wish You Were Her', artist: 'Pink Floyd', genre: 'Rock', condition: 'VG+', price: 4000 });
    expect(loose.body).toMatchObject({ status: 'created', possible_request: { number: wish!.number, waiting: 1 } });
    const asked = await emu.waitForSent((m) => m.chat_id === ADMIN && /похожа на запрос покупателей/.test(m.text ?? ''), 5000);
    // The admin presses the button under that message.
    await emu.user(ADMIN).pressButton(asked, `dmj:${loose.body.row_number}:${wish!.number}`);
    await emu.waitForSent((m) => m.chat_id === ADMIN && /присоединён к/.test(m.text ?? ''), 5000);
    await emu.waitForSent((m) => m.chat_id === 803 && /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''), 5000);
    const bad = await admin('POST', `/api/admin/records/${loose.body.record_id}/join-request`, { request_number: requested!.number });
    expect(bad.status).toBe(409);
    expect(bad.body.details[0].field).toBe('request_number');
    const again = await admin('POST', `/api/admin/records/${loose.body.record_id}/join-request`, { request_number: wish!.number });
    expect(again.body).toMatchObject({ result: 'joined', moved: 0 });
  });

  it('a sheet row of a title customers asked for takes their request over too', async () => {
    const { emu } = await start();
    const now = Math.floor(Date.now() / 1000);
    await emu.user(811).sendText('/start');
    await request({ title: 'Atom Heart Mother', artist: 'Pink Floyd', telegram_auth: signTelegramLogin({ id: 811, auth_date: now }, emu.token) });
    const id = crypto.randomUUID();
    // The sheet sync's own insert path.
    await database!.db.write('records_import', { p_records: [{ id, title: 'Atom Heart Mother', artist: 'Pink Floyd', genre: 'Rock', condition: 'VG', price: 3000, status: 'available' }], p_source: 'sheet' });
    const rows = await records('Atom Heart Mother');
    expect(rows).toMatchObject([{ verified_count: 0 }, { status: 'available', verified_count: 1 }]);
    await emu.waitForSent((m) => m.chat_id === 811 && /ЭКСКЛЮЗИВНОЕ/.test(m.text ?? ''), 5000);
    await emu.waitForSent((m) => m.chat_id === ADMIN && /заменила запрос покупателей/.test(m.text ?? ''), 5000);
  });
});
