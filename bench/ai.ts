import { createServer } from '../server/create-server.ts';
import { createCatalogRepository, type NewRecord } from '../server/catalog/catalog-repository.ts';
import { parseConfig } from '../server/config.ts';
import { createDatabase } from '../server/db/database.ts';
import { migratePglite } from '../server/db/open-database.ts';
import { createPgliteTransport, openPglite } from '../server/db/pglite-transport.ts';
import { createLogger } from '../server/logger.ts';
import { startFakeOpenAi } from '../test/emulators/openai/fake-openai.ts';
import { progress } from './support/http-load.ts';

/**
 * 200 records through the durable AI queue (the real worker, real openai SDK over HTTP) with a
 * fake provider that answers every call in 500 ms, AI_CONCURRENCY=4.
 *
 * How it counts: a record's enrichment is one 500 ms provider round. The records carry label
 * and country (so stage 1 has nothing to fill and makes no call), and stage 3 (SEO) runs
 * alongside stage 2 (description): two calls in flight per record, 500 ms together. Ideal wall
 * time = 200 × 0.5 s / 4 = 25 s; efficiency = ideal / measured; overhead per record = the
 * measured time above ideal spread over the records each slot handled.
 */
const RECORDS = 200;
const CONCURRENCY = 4;
const PROVIDER_MS = 500;

const fake = await startFakeOpenAi({ delayMs: PROVIDER_MS });
const pg = await openPglite();
await migratePglite(pg);
const db = createDatabase(createPgliteTransport(pg));

const genres = ['Рок', 'Джаз', 'Электроника', 'Соул', 'Классика'];
const records: NewRecord[] = Array.from({ length: RECORDS }, (_, i) => ({
  title: `Bench Album ${i + 1}`,
  artist: `Bench Artist ${(i % 37) + 1}`,
  genre: genres[i % genres.length]!,
  year: 1960 + (i % 60),
  label: 'Bench Records',
  country: 'Великобритания',
  condition: 'VG+',
  price: 2500 + i,
  status: 'available',
}));
// The SQL trigger queues one job per record without a description.
await createCatalogRepository(db).importRecords(records);
const queued = await db.read<{ queued: number }>('ai_queue_counts');
progress(`queued ${queued.queued} jobs`);

const config = parseConfig({
  DATA_DIR: '/nonexistent',
  LOG_LEVEL: 'silent',
  LLM_PROVIDER: 'custom',
  CUSTOM_LLM_BASE_URL: `${fake.url}/v1`,
  CUSTOM_LLM_MODEL: 'bench',
  AI_CONCURRENCY: String(CONCURRENCY),
});
const vinyl = createServer({ config, db, logger: createLogger('silent') });

const started = Date.now();
await vinyl.start();
let counts = { queued: 0, running: 0, done: 0, failed: 0 };
for (;;) {
  counts = await db.read('ai_queue_counts');
  if (counts.done + counts.failed >= RECORDS) break;
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const wallS = (Date.now() - started) / 1000;
await vinyl.stop();

const templated = await pg.query<{ n: number }>(
  `select count(*)::int as n from ai_jobs where result ->> 'llm_provider' <> 'custom' or state <> 'done'`,
);
progress(`done ${counts.done}, failed ${counts.failed}, not from the provider: ${templated.rows[0]!.n}`);
progress(`provider calls ${fake.requests.length}, at most ${fake.load.max} in flight`);

await fake.close();
await pg.close();

const idealS = (RECORDS * (PROVIDER_MS / 1000)) / CONCURRENCY;
console.log(
  JSON.stringify({
    bench: 'ai',
    records: RECORDS,
    wall_s: Number(wallS.toFixed(2)),
    ideal_s: idealS,
    efficiency: Number((idealS / wallS).toFixed(3)),
    overhead_ms_per_record: Number((((wallS - idealS) * 1000 * CONCURRENCY) / RECORDS).toFixed(1)),
  }),
);
