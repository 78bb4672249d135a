import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { seedDemoCatalog } from '../../server/catalog/seed-demo-catalog.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';

/**
 * site_records names the public record's columns itself (json from columns is five times cheaper
 * than record_json per row): it must give exactly what record_json gives, field for field.
 */
describe('site_records', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await pgliteDatabase();
    await seedDemoCatalog(createCatalogRepository(database.db));
    await database.sql(`update records set photo_url = 'https://img.example/a.jpg', preorder_count = 3, last_interest_at = now() where number = 1`);
  });
  afterAll(async () => database?.close());

  it('gives every public record as record_json does, with its rank, in any order', async () => {
    const answer = await database.db.read<{ as_of: string; records: Array<Record<string, unknown>> }>('site_records', { p_since: null });
    const expected = await database.sql<{ j: Record<string, unknown> }>(`select record_json(r, true) || jsonb_build_object('priority', r.priority, 'deleted', false) as j from records r where r.deleted_at is null and r.status <> 'deleted'`);
    expect(answer.records.length).toBe(expected.length);
    const byId = new Map(answer.records.map((r) => [r.id, r]));
    for (const { j } of expected) expect(byId.get(j.id)).toEqual(j);
  });

  it('gives only the rows changed since a moment, deleted ones marked', async () => {
    const { as_of } = await database.db.read<{ as_of: string }>('site_records', { p_since: null });
    await database.sql(`update records set price = price + 1 where number = 2`);
    await database.sql(`update records set deleted_at = now(), status = 'deleted' where number = 3`);
    const answer = await database.db.read<{ records: Array<{ number: number; deleted: boolean }> }>('site_records', { p_since: as_of });
    expect(answer.records.map((r) => [r.number, r.deleted]).sort()).toEqual([[2, false], [3, true]]);
  });
});
