import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transports, type TestDatabase } from '../support/databases.ts';

/**
 * Lists the admin API and the bot show come back in one order on PGlite and on PostgreSQL: ties
 * are broken by a unique key (records by number). The records are written so that their rows lie
 * in the table in the reverse of their numbers: a sort that leaves ties to the engine would
 * follow the rows, not the numbers.
 */
describe.each(transports)('orderings on %s', (_name, open) => {
  let database: TestDatabase;
  let numbers: number[];
  const at = '2026-11-30T12:00:00Z';

  beforeAll(async () => {
    database = await open();
    const rows = await database.sql<{ id: string; number: number }>(`
      insert into records (title, artist, status, price, genre, condition)
      select 'Tie ' || i, 'Artist ' || i, (array['procurement', 'available', 'search_request'])[1 + i % 3], 1000, 'Rock', 'NM'
        from generate_series(1, 9) i
      returning id, number`);
    numbers = rows.map((r) => r.number).sort((a, b) => a - b);
    // Equal demand everywhere, written one record at a time from the highest number down, so each
    // record's live row moves behind the ones written before it.
    for (const { id } of [...rows].sort((a, b) => b.number - a.number)) {
      await database.sql(
        `insert into record_participants (record_id, participant, verified, chat_id, source, created_at)
         values ($1, 'tg:777', true, 777, 'telegram', $2), ($1, 'tg:778', true, 778, 'telegram', $2),
                ($1, 'contact:b@x.ru', false, null, 'site', $2), ($1, 'contact:a@x.ru', false, null, 'site', $2)`,
        [id, at],
      );
      await database.sql(`update records set verified_count = 2, preorder_count = 4 where id = $1`, [id]);
    }
  });
  afterAll(async () => database?.close());

  const byNumber = (status: string) => numbers.filter((_n, i) => ['procurement', 'available', 'search_request'][(i + 1) % 3] === status);

  it('procurement tasks, ready alerts and unverified interest with equal counts follow the record number', async () => {
    const notifications = await database.db.read<any>('admin_notifications');
    expect(notifications.procurement_tasks.map((t: any) => t.number)).toEqual(byNumber('procurement'));
    expect(notifications.pre_order_alerts_ready.map((t: any) => t.number)).toEqual(byNumber('available'));
    expect(notifications.unverified_interest.map((t: any) => t.number)).toEqual(numbers);
    // Contacts that came at the same moment: by their key.
    expect(notifications.unverified_interest[0].contacts).toEqual(['contact:a@x.ru', 'contact:b@x.ru']);
  });

  it('hot requests with equal demand follow the record number', async () => {
    const statistics = await database.db.read<any>('admin_statistics');
    const numberOf = new Map((await database.sql<{ id: string; number: number }>('select id, number from records')).map((r) => [r.id, r.number]));
    const hot = numbers.filter((n) => !byNumber('available').includes(n));
    expect(statistics.hot_requests.map((r: any) => numberOf.get(r.record_id))).toEqual(hot);
  });

  it("the admin's digest lists records with equal new demand by number", async () => {
    await database.db.write('demand_configure', { p_settings: { admin_chat_ids: [900] } });
    const digest = await database.db.write<any>('admin_digest_enqueue', { p_min_interval_seconds: 0 });
    expect(digest).toMatchObject({ sent: true, requests: numbers.length });
    const [message] = await database.sql<{ payload: any }>(`select payload from telegram_deliveries where kind = 'admin_digest'`);
    expect(message!.payload.requests.map((r: any) => r.number)).toEqual(numbers);
  });

  it("/my lists a person's requests made at the same moment newest number first", async () => {
    // Now the rows lie in number order (a changed genre moves a row and its index entry), so
    // "newest first" cannot come from where the rows are.
    for (const number of numbers) {
      await database.sql(`update records set genre = case genre when 'Rock' then 'ROCK' else 'Rock' end where number = $1`, [number]);
    }
    const mine = await database.db.read<any[]>('demand_my', { p_chat_id: 777 });
    expect(mine.map((r) => r.number)).toEqual([...numbers].reverse());
  });
  it('acknowledged sheet writes reach the snapshot in the order the sheet applied them', async () => {
    const [record] = await database.sql<{ id: string }>(`select id from records order by number limit 1`);
    await database.sql(`insert into sheet_row_state (record_id, fields) values ($1, '{"price": 1000}')`, [record!.id]);
    const ids: string[] = [];
    for (const price of [1100, 1200]) {
      const [op] = await database.sql<{ id: string }>(
        `select sheet_outbox_push('set_fields', 'Справочник', $1, jsonb_build_object('fields', jsonb_build_object('price', $2::int))) as id`,
        [record!.id, price],
      );
      ids.push(String(op!.id));
    }
    // The first operation's row now lies behind the second's.
    await database.sql(`update sheet_outbox set deliveries = deliveries + 1 where id = $1`, [ids[0]]);
    // A big table is read in row order (a sequential or bitmap scan); with a few rows the planner
    // walks the primary key and hides the difference. PGlite shares its one session with the test.
    const scans = ['enable_indexscan', 'enable_bitmapscan'];
    if (database.name === 'pglite') for (const scan of scans) await database.sql(`set ${scan} = off`);
    try {
      expect(await database.db.write('sheet_outbox_ack', { p_ids: ids.map(Number) })).toBe(2);
    } finally {
      if (database.name === 'pglite') for (const scan of scans) await database.sql(`reset ${scan}`);
    }
    const [state] = await database.sql<{ price: number }>(`select (fields ->> 'price')::int as price from sheet_row_state where record_id = $1`, [record!.id]);
    expect(state!.price).toBe(1200);
  });
});
