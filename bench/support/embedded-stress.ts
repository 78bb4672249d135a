import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { seedDemoCatalog } from '../../server/catalog/seed-demo-catalog.ts';
import { createDatabase } from '../../server/db/database.ts';
import { migratePglite } from '../../server/db/open-database.ts';
import { createPgliteTransport, openPglite } from '../../server/db/pglite-transport.ts';
import { createDemandRepository } from '../../server/demand/demand-repository.ts';

export interface StressResult {
  starts: number;
  queries: number;
  failures: number;
  /** The first few failures, for the report. */
  errors: string[];
}

/** A misspelling a customer might type: one letter doubled, or the last one dropped. */
const typo = (word: string, i: number) => (i % 2 === 0 ? word.slice(0, -1) : word.replace(/([a-z])/, '$1$1'));

const run = promisify(execFile);
const childScript = fileURLToPath(new URL('./embedded-stress-child.ts', import.meta.url));

/**
 * What broke the embedded database under load (docs/pglite-extension-race.md), over and over:
 * each start is a fresh process (V8 caches compiled wasm per process, which hides the race after
 * the first database) opening a fresh database, migrated and filled with the demo catalog, then
 * its search vocabulary searched as typed and with a typo, customers' search requests, and
 * statistics refreshes in between.
 */
export async function stressEmbeddedDatabase(options: {
  starts: number;
  /** Searches only every n-th word of the vocabulary (the suite's shorter run); default all. */
  wordStep?: number;
  onStart?: (done: number) => void;
}): Promise<StressResult> {
  const total: StressResult = { starts: 0, queries: 0, failures: 0, errors: [] };
  for (let start = 0; start < options.starts; start++) {
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', childScript, String(start), String(options.wordStep ?? 1)], {
        timeout: 180_000,
        killSignal: 'SIGKILL', // a wedged PGlite ignores SIGTERM
        maxBuffer: 16 * 1024 * 1024,
      });
      const one = JSON.parse(stdout.trim().split('\n').pop() ?? '') as StressResult;
      total.queries += one.queries;
      total.failures += one.failures;
      total.errors.push(...one.errors);
    } catch (error) {
      // A process that hung or died is the worst failure of all.
      total.failures++;
      total.errors.push(`start ${start}: ${(error as Error).message.split('\n')[0]}`);
    }
    total.starts++;
    options.onStart?.(total.starts);
  }
  total.errors = total.errors.slice(0, 5);
  return total;
}

/** One start, in this process: see stressEmbeddedDatabase. */
export async function stressOneEmbeddedDatabase({ start, wordStep }: { start: number; wordStep: number }): Promise<StressResult> {
  const result: StressResult = { starts: 1, queries: 0, failures: 0, errors: [] };
  const fail = (what: string, error: unknown) => {
    result.failures++;
    if (result.errors.length < 5) result.errors.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  };
  const pg = await openPglite();
  try {
    await migratePglite(pg);
    const db = createDatabase(createPgliteTransport(pg));
    const catalog = createCatalogRepository(db);
    const demand = createDemandRepository(db);
    await seedDemoCatalog(catalog);
    await db.read('app_refresh_statistics');
    const words = (await pg.query<{ word: string }>('select word from search_dictionary order by word')).rows
      .map((r) => r.word)
      .filter((_, i) => i % wordStep === 0);
    for (const [i, word] of words.entries()) {
      for (const search of [word, typo(word, i)]) {
        result.queries++;
        try {
          const page = await catalog.search({ search, status: ['available', 'reserved', 'sold', 'procurement', 'search_request'], limit: 20, offset: 0 });
          if (!page || !Array.isArray(page.records)) throw new Error(`answered ${JSON.stringify(page)}`);
        } catch (error) {
          fail(`search "${search}"`, error);
        }
      }
      if (i % 10 === 0) {
        result.queries += 2;
        try {
          await demand.searchRequest(
            { title: `${word} sessions`, artist: `${typo(word, i)} band` },
            { key: `stress:${start}:${i}`, verified: false, chatId: null, contact: null, source: 'site' },
          );
          await db.read('app_refresh_statistics');
        } catch (error) {
          fail('search request / statistics', error);
        }
      }
    }
  } catch (error) {
    fail(`start ${start}`, error);
  } finally {
    await pg.close().catch(() => {});
  }
  return result;
}
