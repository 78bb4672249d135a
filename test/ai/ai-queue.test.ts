import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { transports, pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../emulators/openai/fake-openai.ts';
import { addRecord, adminToken, llmEnv, sheetSecret, signedFetch, waitFor, wordCount } from './ai-test-kit.ts';

type App = Awaited<ReturnType<typeof startTestApp>>;

describe.each(transports)('AI queue on %s', (_name, open) => {
  let database: TestDatabase;
  let app: App | undefined;
  beforeAll(async () => {
    database = await open();
  });
  afterAll(async () => {
    await database.close();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const description = async (id: string) =>
    (await database.sql<{ description: string | null }>('select description from records where id = $1', [id]))[0]?.description ?? null;

  it('a record added without a description is enriched by the worker and the text goes to the sheet outbox', async () => {
    app = await startTestApp(database.db, { ADMIN_API_TOKEN: adminToken });
    const id = await addRecord(database.db, { title: 'Kind of Blue', artist: 'Miles Davis', genre: 'Джаз', year: 1959 });
    const text = await waitFor(() => description(id), 10_000, 'the description');
    expect(wordCount(text)).toBeGreaterThanOrEqual(300);
    const [op] = await database.sql<{ payload: any }>(`select payload from sheet_outbox where record_id = $1 and op = 'set_fields'`, [id]);
    expect(op!.payload.fields.description).toBe(text);
    expect(op!.payload.notes.description).toBe('Заполнено ИИ — проверьте');
    // Its own write does not queue the record again.
    const jobs = await database.sql<{ state: string }>('select state from ai_jobs where record_id = $1', [id]);
    expect(jobs.map((j) => j.state)).toEqual(['done']);
  });

  it('the sheet batch endpoint queues records and reports progress until done; unsigned calls are refused', async () => {
    app = await startTestApp(database.db, { ADMIN_API_TOKEN: adminToken, SHEET_SECRET: sheetSecret, AI_CONCURRENCY: '0' });
    const ids = [await addRecord(database.db), await addRecord(database.db), await addRecord(database.db, { description: 'Своё описание.' })];
    const started = await signedFetch(`${app.url}/api/sheet/enrich`, 'POST', { record_ids: ids });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ job_id: expect.any(String), total: 3 });
    const queued = await signedFetch(`${app.url}/api/sheet/enrich/${started.body.job_id}`, 'GET');
    expect(queued.body).toMatchObject({ status: 'queued', total: 3, done: 0, failed: 0 });
    expect((await fetch(`${app.url}/api/sheet/enrich/${started.body.job_id}`)).status).toBe(401);
    expect((await signedFetch(`${app.url}/api/sheet/enrich`, 'POST', { force: true })).status).toBe(400);
    expect((await signedFetch(`${app.url}/api/sheet/enrich`, 'POST', { record_ids: [crypto.randomUUID()] })).status).toBe(404);

    // Another instance with a worker picks the batch up (the first one has AI_CONCURRENCY=0).
    await app.close();
    app = await startTestApp(database.db, { ADMIN_API_TOKEN: adminToken, SHEET_SECRET: sheetSecret });
    const done = await waitFor(async () => {
      const progress = await signedFetch(`${app!.url}/api/sheet/enrich/${started.body.job_id}`, 'GET');
      return progress.body.status === 'done' ? progress.body : null;
    });
    expect(done).toMatchObject({ total: 3, done: 3, failed: 0 });
    expect(await description(ids[2]!)).toBe('Своё описание.');
  });
});

describe('AI queue with providers', () => {
  let database: TestDatabase;
  let fake: FakeOpenAi;
  let app: App | undefined;
  beforeAll(async () => {
    database = await pgliteDatabase();
    fake = await startFakeOpenAi();
  });
  afterAll(async () => {
    await fake.close();
    await database.close();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    fake.reset();
    fake.setDelay(0);
  });
  const jobResult = async (id: string) =>
    (await database.sql<{ state: string; attempts: number; result: any }>('select state, attempts, result from ai_jobs where record_id = $1 order by id desc', [id]))[0];

  it('jobs survive a restart: a job claimed by a worker that died is taken over when its lease runs out', async () => {
    const ids = [await addRecord(database.db), await addRecord(database.db)];
    // A worker claims one job with a 1 s lease and dies without finishing it.
    await database.sql(`select ai_jobs_claim('dead-worker', 1, 1)`);
    app = await startTestApp(database.db, llmEnv(fake));
    for (const id of ids) {
      await waitFor(async () => (await jobResult(id))?.state === 'done', 10_000, `job of ${id}`);
    }
    const results = await Promise.all(ids.map(jobResult));
    expect(results.map((r) => r!.result.llm_provider)).toEqual(['custom', 'custom']);
    expect(Math.max(...results.map((r) => r!.attempts))).toBe(2);
  });

  it('a 429 postpones the job with backoff instead of settling for the template', async () => {
    app = await startTestApp(database.db, llmEnv(fake));
    fake.script('description', { kind: 'status', status: 429, headers: { 'retry-after': '2' } });
    const id = await addRecord(database.db);
    await waitFor(async () => (await jobResult(id))?.state === 'done', 15_000, 'the job');
    const job = (await jobResult(id))!;
    expect(job.result).toMatchObject({ llm_provider: 'custom', fallback_used: false });
    expect(job.attempts).toBe(2);
    const calls = fake.stageRequests('description');
    expect(calls.at(-1)!.at - calls[0]!.at).toBeGreaterThanOrEqual(1900);
  });

  it('keeps at most AI_CONCURRENCY records in hand at once', async () => {
    fake.setDelay(150);
    app = await startTestApp(database.db, llmEnv(fake, undefined, { AI_CONCURRENCY: '2' }));
    const ids = await Promise.all(Array.from({ length: 6 }, () => addRecord(database.db, { label: 'L', country: 'C' })));
    for (const id of ids) await waitFor(async () => (await jobResult(id))?.state === 'done', 15_000, 'the jobs');
    // Two records in hand, each with its description and SEO calls in flight together.
    expect(fake.load.max).toBe(4);
    expect(fake.stageRequests('facts')).toHaveLength(0);
  });
});
