import type { AddressInfo } from 'node:net';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { seedDemoCatalog } from '../../server/catalog/seed-demo-catalog.ts';
import { parseConfig } from '../../server/config.ts';
import { createServer } from '../../server/create-server.ts';
import { createDatabase } from '../../server/db/database.ts';
import { migratePglite } from '../../server/db/open-database.ts';
import { createPgliteTransport, openPglite } from '../../server/db/pglite-transport.ts';
import { createLogger } from '../../server/logger.ts';
import queries from './search-queries.json' with { type: 'json' };

/**
 * Real queries against the demo catalog (server/catalog/demo-catalog.ts), each with what its
 * first result must be: Russian-typed English names, Latin-typed Russian names, typos, titles,
 * genres, labels and years. `genre` lists alternatives (`heavy metal|хэви-метал`), each a
 * case-insensitive part of the record's genre ("rock" is right for Hard Rock); the other fields
 * must be equal.
 */
export interface SearchCase {
  query: string;
  kind: string;
  first: { artist?: string; title?: string; genre?: string; label?: string; year?: number };
}
export const searchCases: SearchCase[] = queries;

interface FirstRecord {
  artist: string;
  title: string;
  genre: string | null;
  label: string | null;
  year: number | null;
}

/** Why a first result is wrong for its case, or null when it is right. */
export function top1Mismatch(expected: SearchCase['first'], record: FirstRecord | undefined): string | null {
  if (!record) return 'no result';
  const wrong = Object.entries(expected).filter(([field, value]) => {
    const actual = record[field as keyof FirstRecord];
    return field === 'genre'
      ? !String(value).split('|').some((part) => String(actual ?? '').toLowerCase().includes(part.toLowerCase()))
      : actual !== value;
  });
  return wrong.length === 0 ? null : `got ${record.artist} - ${record.title} (${record.genre}, ${record.label}, ${record.year})`;
}

/** Runs every case through `firstResult` (a search as the website makes it); the share right and the misses. */
export async function measureSearchTop1(firstResult: (query: string) => Promise<FirstRecord | undefined>) {
  const misses: Array<{ query: string; expected: SearchCase['first']; problem: string }> = [];
  for (const { query, first } of searchCases) {
    const problem = top1Mismatch(first, await firstResult(query));
    if (problem) misses.push({ query, expected: first, problem });
  }
  return { share: (searchCases.length - misses.length) / searchCases.length, misses };
}

/**
 * The share of searchCases answered right by a fresh embedded database with the demo catalog,
 * asked through the real HTTP API (bench:api's `search_top1`).
 */
export async function measureDemoSearchTop1() {
  const pg = await openPglite();
  await migratePglite(pg);
  const db = createDatabase(createPgliteTransport(pg));
  await seedDemoCatalog(createCatalogRepository(db));
  const config = parseConfig({ DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' });
  const server = createServer({ config, db, logger: createLogger('silent') }).app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    return await measureSearchTop1(async (query) => {
      const response = await fetch(`${base}/api/records?status=all&limit=1&search=${encodeURIComponent(query)}`);
      return ((await response.json()) as { records: FirstRecord[] }).records[0];
    });
  } finally {
    server.close();
    await db.close();
  }
}
