import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { transports, type TestDatabase } from '../support/databases.ts';

/**
 * Search reads record_search and builds its pages from record_cards
 * (supabase/migrations/20261204000100_search_reads_less.sql), both kept by triggers: whatever
 * writes a record, by whatever path, both must say what `records` says at that moment, or the API
 * would find records by old words and show stale prices and counts.
 */
describe.each(transports)('search tables on %s', (_name, open) => {
  let database: TestDatabase;
  let catalog: ReturnType<typeof createCatalogRepository>;

  /**
   * Records whose card is missing or differs from record_json, cards without a record, and
   * differences between record_search and the live records' searched columns.
   */
  const stale = () =>
    database.sql<{ id: string }>(`
      select r.id from records r left join record_cards c on c.record_id = r.id
       where c.card is distinct from record_json(r, false)
      union all
      select c.record_id from record_cards c where not exists (select 1 from records r where r.id = c.record_id)
      union all
      select id from (
        (select id, status, priority, genre, year, price, search_words from record_search
         except all
         select id, status, priority, genre, year, price, search_words from records where deleted_at is null and status <> 'deleted')
        union all
        (select id, status, priority, genre, year, price, search_words from records where deleted_at is null and status <> 'deleted'
         except all
         select id, status, priority, genre, year, price, search_words from record_search)
      ) differing`);

  beforeAll(async () => {
    database = await open();
    catalog = createCatalogRepository(database.db);
    await catalog.importRecords([
      { title: 'Animals', artist: 'Pink Floyd', status: 'available', price: 4500, genre: 'Rock', condition: 'NM', year: 1977 },
      { title: 'Meddle', artist: 'Pink Floyd', status: 'available', price: 3900, genre: 'Rock', condition: 'VG+', year: 1971 },
      { title: 'Wish You Were Here', artist: 'Pink Floyd', status: 'search_request' },
    ]);
  });
  afterAll(async () => database?.close());

  it('every imported record has its card, and a search page is made of them', async () => {
    expect(await stale()).toEqual([]);
    const page = await catalog.search({ search: 'pink floyd', status: ['available'], limit: 50, offset: 0 });
    const expected = await database.sql<{ card: unknown }>(
      `select record_json(r, false) as card from records r where r.status = 'available' order by r.priority desc, r.id`,
    );
    expect(page.records).toEqual(expected.map((e) => e.card));
  });

  it('follows every kind of change: fields, demand, status, soft and hard deletes', async () => {
    const [animals, meddle, wish] = await database.sql<{ id: string }>(`select id from records order by number`);
    await database.sql(`update records set price = 5200, description = 'Переиздание 2016 года.' where id = $1`, [animals!.id]);
    await database.db.write('record_register_interest', { p_record_id: wish!.id, p_participant: 'tg:501' });
    await database.sql(`update records set status = 'sold' where id = $1`, [meddle!.id]);
    expect(await stale()).toEqual([]);
    const page = await catalog.search({ search: 'pink floyd', status: ['available'], limit: 50, offset: 0 });
    expect(page.records.map((r) => r.price)).toEqual([5200]);

    // Words change with the title: the new one finds it, the old one no longer does.
    await database.sql(`update records set title = 'Animals (Remastered)' where id = $1`, [animals!.id]);
    expect(await stale()).toEqual([]);
    expect((await catalog.search({ search: 'remastered', status: ['available'], limit: 50, offset: 0 })).total).toBe(1);

    await database.db.write('records_soft_delete', { p_id: animals!.id });
    expect((await catalog.search({ search: 'animals', status: ['available'], limit: 50, offset: 0 })).total).toBe(0);
    await database.sql(`delete from records where id = $1`, [meddle!.id]);
    expect(await stale()).toEqual([]);
    expect(await database.sql(`select 1 from record_cards where record_id = $1`, [meddle!.id])).toEqual([]);
  });
});
