import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusLabels } from '../../shared/record-status.ts';
import { signTelegramLogin } from '../../server/auth/telegram-login.ts';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { seedDemoCatalog } from '../../server/catalog/seed-demo-catalog.ts';
import { createDemandRepository, type RegisterResult } from '../../server/demand/demand-repository.ts';
import { pgliteDatabase, supabaseDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const token = '123456:TEST-TOKEN';

async function post(url: string, body: unknown) {
  const response = await fetch(`${url}/api/search-requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

describe('demand counting on real Postgres through the Supabase transport', () => {
  it('300 concurrent requests for one new title from 300 people make one record, count 300, one procurement task and one admin event', async () => {
    const database = await supabaseDatabase();
    try {
      const demand = createDemandRepository(database.db);
      await demand.configure({ admin_chat_ids: [900] });
      const spellings = [
        ['Daydream Nation', 'Sonic Youth'],
        ['daydream nation', 'SONIC YOUTH'],
        ['Daydream Nation!', 'Sonic Youth.'],
        ['«Daydream  Nation»', 'sonic youth'],
      ];
      const results = (await Promise.all(
        Array.from({ length: 300 }, (_, i) => {
          const [title, artist] = spellings[i % spellings.length]!;
          return demand.searchRequest({ title: title!, artist: artist! }, { key: `tg:${5000 + i}`, verified: true, chatId: 5000 + i, contact: null, source: 'telegram' });
        }),
      )) as RegisterResult[];
      expect(new Set(results.map((r) => r.record_id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results.filter((r) => r.became_procurement)).toHaveLength(1);
      expect(new Set(results.map((r) => r.verified_count)).size).toBe(300);
      const id = results[0]!.record_id;
      const [record] = await database.sql<{ status: string; preorder_count: number; verified_count: number }>(
        'select status, preorder_count, verified_count from records where id = $1', [id]);
      expect(record).toEqual({ status: 'procurement', preorder_count: 300, verified_count: 300 });
      const events = await database.sql<{ type: string; n: string }>('select type, count(*)::text as n from admin_events group by type order by type');
      expect(events).toEqual([{ type: 'procurement', n: '1' }, { type: 'search_request', n: '1' }]);
      const adminMessages = await database.sql("select chat_id from telegram_deliveries where kind = 'admin_event'");
      expect(adminMessages).toEqual([{ chat_id: '900' }]);
      const statusOps = await database.sql(
        "select 1 from sheet_outbox where op = 'set_fields' and payload -> 'fields' ->> 'status' = $1", [statusLabels.procurement]);
      expect(statusOps.length).toBeGreaterThan(0);
      const created = await database.sql("select payload from sheet_outbox where op = 'append_row' and sheet = 'Справочник'");
      expect(created).toHaveLength(1);

      // The same person again, in any spelling, still counts once.
      const again = await demand.searchRequest({ title: 'DAYDREAM NATION', artist: 'Sonic Youth' }, { key: 'tg:5000', verified: true, chatId: 5000, contact: null, source: 'telegram' });
      expect(again).toMatchObject({ record_id: id, added: false, preorder_count: 300 });
    } finally {
      await database.close();
    }
  });
});

describe('POST /api/search-requests', () => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    database = await pgliteDatabase();
    await seedDemoCatalog(createCatalogRepository(database.db));
    api = await startTestApp(database.db);
  });
  afterAll(async () => {
    await api?.close();
    await database?.close();
  });

  it('joins «pink floyd the wall», «Pink Floyd - The Wall» and «пинк флойд the wall» to the one record', async () => {
    const [wall] = await database.sql<{ id: string }>("select id from records where title = 'The Wall' and artist = 'Pink Floyd'");
    const variants = [
      { title: 'the wall', artist: 'pink floyd' },
      { title: 'The Wall', artist: 'Pink Floyd -' },
      { title: 'the wall', artist: 'пинк флойд' },
      { title: 'The Wal', artist: 'Pink Floid' },
    ];
    for (const [i, v] of variants.entries()) {
      const { status, body } = await post(api.url, { ...v, customer_id: `session-${i}` });
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'added', record_id: wall!.id, verified: false });
    }
  });

  it('keeps unverified interest in an unknown title for the admin: no public record, no sheet row, no AI job', async () => {
    const before = await database.sql('select count(*) from records');
    const { status, body } = await post(api.url, { title: 'The Wall Live', artist: 'Pink Floyd', contact: 'fan@example.com' });
    expect(status).toBe(202);
    expect(body).toMatchObject({ status: 'pending', record_id: null, record_number: null, pre_order_count: 0, verified: false });
    // No bot in this app: nothing can promise a Telegram message (the link is tested with the bot).
    expect(body.telegram_link).toBeNull();
    expect(body.message).not.toMatch(/Telegram/);
    expect(await database.sql('select count(*) from records')).toEqual(before);
    expect(await database.sql("select 1 from sheet_outbox where sheet = 'Справочник' and payload::text like '%Wall Live%'")).toEqual([]);
    expect(await database.sql("select 1 from ai_jobs j join records r on r.id = j.record_id where r.title = 'The Wall Live'")).toEqual([]);
  });

  it('counts a person once however often they ask, and unverified interest neither creates a record nor counts publicly', async () => {
    for (let i = 0; i < 12; i++) expect((await post(api.url, { title: 'Loveless', artist: 'My Bloody Valentine', customer_id: `anon-${i}` })).body.status).toBe('pending');
    const repeat = (await post(api.url, { title: 'loveless', artist: 'my bloody valentine', customer_id: 'anon-0' })).body;
    expect(repeat).toMatchObject({ status: 'already_registered', pre_order_count: 0, record_id: null });
    expect(await database.sql("select 1 from records where title = 'Loveless'")).toEqual([]);
    const [pending] = await database.sql<{ n: string }>("select count(*)::text as n from demand_pending where title = 'Loveless'");
    expect(pending!.n).toBe('12');
  });

  it('accepts a verified Telegram login and refuses a forged one', async () => {
    const now = Math.floor(Date.now() / 1000);
    // No bot configured in this app: a login cannot be checked, so it is refused, not trusted.
    const auth = signTelegramLogin({ id: 4242, username: 'ann', auth_date: now }, token);
    const refused = await post(api.url, { title: 'Loveless', artist: 'My Bloody Valentine', telegram_auth: auth });
    expect(refused.status).toBe(400);
    expect(refused.body.details[0].field).toBe('telegram_auth');
  });

  it('answers bad input with 400 naming the field and changes nothing', async () => {
    const before = await database.sql('select count(*) from records');
    const cases: Array<[unknown, string]> = [
      [{ title: 'x'.repeat(201), artist: 'A', customer_id: 's' }, 'title'],
      [{ title: 'T', artist: '', customer_id: 's' }, 'artist'],
      [{ title: 'T', artist: 'A' }, 'customer_id'],
      [{ title: 'T', artist: 'A', contact: 'c'.repeat(201) }, 'contact'],
      [{ title: 'T', artist: 'A', customer_id: 's', record_id: 'nope' }, 'record_id'],
    ];
    for (const [body, field] of cases) {
      const r = await post(api.url, body);
      expect(r.status).toBe(400);
      expect(r.body.details.map((d: any) => d.field)).toContain(field);
    }
    expect(await database.sql('select count(*) from records')).toEqual(before);
  });

  it('keeps the sheet labels of statuses in SQL equal to shared/record-status.ts', async () => {
    for (const [status, label] of Object.entries(statusLabels)) {
      const [row] = await database.sql<{ label: string }>('select record_status_label($1) as label', [status]);
      expect(row!.label).toBe(label);
    }
  });

  it('limits each IP to 30 search requests a minute', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) statuses.push((await post(api.url, { title: 'Spam', artist: 'Bot', customer_id: `s${i}` })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  });
});
