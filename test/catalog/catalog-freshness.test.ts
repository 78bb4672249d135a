import { afterEach, describe, expect, test } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { createDatabase } from '../../server/db/database.ts';
import { createSupabaseTransport } from '../../server/db/supabase-transport.ts';
import { pgliteDatabase, supabaseDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function app(db: TestDatabase['db']) {
  const started = await startTestApp(db, { CACHE_TTL: '600' });
  cleanups.push(() => started.close());
  return started;
}
const album = (title: string) => ({ title, artist: 'Freshness Test', genre: 'Rock', condition: 'VG+', price: 1000, status: 'available' as const });

describe('the response cache follows the catalog, not the writes', () => {
  test('writes that leave the catalog alone (queue claims) keep the cache; a record change empties it at once', async () => {
    const t = await pgliteDatabase();
    cleanups.push(() => t.close());
    const server = await app(t.db);
    const first = await server.get('/api/records?search=freshness');
    expect(first.body.records).toEqual([]);
    const invalidations = server.vinyl.cache.invalidations;

    for (let i = 0; i < 12; i++) await t.db.write('delivery_claim', { p_worker: 'idle', p_limit: 10, p_lease_seconds: 30 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(server.vinyl.cache.invalidations).toBe(invalidations);
    expect((await server.get('/api/records?search=freshness')).headers.get('etag')).toBe(first.headers.get('etag'));

    await createCatalogRepository(t.db).importRecords([album('Fresh Arrival')]);
    expect(server.vinyl.cache.invalidations).toBe(invalidations + 1);
    const after = await server.get('/api/records?search=freshness');
    expect(after.body.records.map((r: { title: string }) => r.title)).toEqual(['Fresh Arrival']);
  });

  test('on one Supabase, a change made through one server is served by another within a second', async () => {
    const t = await supabaseDatabase();
    cleanups.push(() => t.close());
    const one = await app(t.db);
    const otherDb = createDatabase(createSupabaseTransport({ url: t.project.api.url, serviceRoleKey: t.project.api.keys.secret }));
    const other = await app(otherDb);
    expect((await other.get('/api/records?search=freshness')).body.records).toEqual([]);
    const idle = other.vinyl.cache.invalidations;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(other.vinyl.cache.invalidations).toBe(idle); // polling an unchanged catalog keeps the cache

    await one.vinyl.catalog.importRecords([album('Made On One')]);
    const changedAt = Date.now();
    let titles: string[] = [];
    while (Date.now() - changedAt < 1_000) {
      titles = (await other.get('/api/records?search=freshness')).body.records.map((r: { title: string }) => r.title);
      if (titles.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(titles).toEqual(['Made On One']);
  });
});
