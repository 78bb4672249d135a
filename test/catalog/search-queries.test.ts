import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureSearchTop1, searchCases } from '../../bench/support/search-top1.ts';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { seedDemoCatalog } from '../../server/catalog/seed-demo-catalog.ts';
import { transports, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

describe.each(transports)('real queries over %s', (_name, open) => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    database = await open();
    await seedDemoCatalog(createCatalogRepository(database.db));
    api = await startTestApp(database.db);
  });
  afterAll(async () => {
    await api?.close();
    await database?.close();
  });

  it(`answers each of the ${searchCases.length} queries (bench/support/search-queries.json) with the expected first result`, async () => {
    expect(searchCases.length).toBeGreaterThanOrEqual(150);
    const { misses } = await measureSearchTop1(
      async (query) => (await api.get(`/api/records?status=all&limit=1&search=${encodeURIComponent(query)}`)).body.records[0],
    );
    expect(misses).toEqual([]);
  }, 120_000);
});
