import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { freePort } from '../support/free-port.ts';
import { startTestApp } from '../support/test-app.ts';

const metricsToken = 'metrics-token-0123456789-abcdef';
const adminToken = 'admin-token-0123456789-abcdef';

/** The value of one sample line of the Prometheus text format, or undefined. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApp>>;
  let recordId: string;
  beforeAll(async () => {
    database = await pgliteDatabase();
    const catalog = createCatalogRepository(database.db);
    await catalog.importRecords([
      { title: 'Animals', artist: 'Pink Floyd', genre: 'Rock', condition: 'NM', price: 3000, status: 'available' },
      { title: 'Группа крови', artist: 'Кино', status: 'search_request' },
    ]);
    recordId = (await catalog.search({ status: ['available'], limit: 1, offset: 0 })).records[0]!.id;
    // An LLM provider that does not answer: its calls are counted as network failures.
    const deadPort = await freePort();
    api = await startTestApp(database.db, {
      METRICS_TOKEN: metricsToken,
      ADMIN_API_TOKEN: adminToken,
      LLM_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test-0123456789abcdef',
      OPENAI_BASE_URL: `http://127.0.0.1:${deadPort}/v1`,
      LLM_TIMEOUT_MS: '1000',
      AI_CONCURRENCY: '0',
    });
  });
  afterAll(async () => {
    await api?.close();
    await database?.close();
  });

  const scrape = async () => {
    const response = await fetch(`${api.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    return response.text();
  };

  it('refuses a scrape without the token, or with a wrong one', async () => {
    expect((await fetch(`${api.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${api.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('vinyl_');
  });

  it('counts requests by route pattern and status, and response-cache hits and misses', async () => {
    const before = await scrape();
    const hitsBefore = sample(before, 'vinyl_response_cache_lookups_total{result="hit"}') ?? 0;
    for (let i = 0; i < 3; i++) expect((await api.get('/api/records?search=animals')).status).toBe(200);
    expect((await api.get(`/api/records/${recordId}`)).status).toBe(200);
    expect((await api.get('/api/records/not-a-record')).status).toBe(400);
    expect((await api.get('/no/such/path')).status).toBe(404);
    const text = await scrape();
    expect(sample(text, 'vinyl_http_requests_total{method="GET",route="/api/records",status="200"}')).toBe(3);
    expect(sample(text, 'vinyl_http_requests_total{method="GET",route="/api/records/:id",status="200"}')).toBe(1);
    expect(sample(text, 'vinyl_http_requests_total{method="GET",route="/api/records/:id",status="400"}')).toBe(1);
    expect(sample(text, 'vinyl_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
    expect(sample(text, 'vinyl_http_request_duration_seconds_count{method="GET",route="/api/records",status="200"}')).toBe(3);
    // The first search missed, the next two were answered from the cache.
    expect(sample(text, 'vinyl_response_cache_lookups_total{result="hit"}')! - hitsBefore).toBe(2);
    expect(sample(text, 'vinyl_response_cache_lookups_total{result="miss"}')).toBeGreaterThanOrEqual(2);
  });

  it('counts only its own responses when the process runs other servers', async () => {
    const other = await startTestApp(database.db, { METRICS_TOKEN: metricsToken, AI_CONCURRENCY: '0' });
    try {
      const health = 'vinyl_http_requests_total{method="GET",route="/health",status="200"}';
      const before = sample(await scrape(), health) ?? 0;
      for (let i = 0; i < 3; i++) expect((await other.get('/health')).status).toBe(200);
      expect((await api.get('/health')).status).toBe(200);
      expect(sample(await scrape(), health)! - before).toBe(1);
      const theirs = await (await fetch(`${other.url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
      expect(sample(theirs, health)).toBe(3);
    } finally {
      await other.close();
    }
  });

  it('labels website pages by kind, never by record, slug or page number', async () => {
    const [record] = await database.sql<{ number: number }>(`select number from records where title = 'Animals'`);
    const pages: Array<[string, number]> = [
      ['/', 200],
      ['/catalog/', 200],
      ['/catalog/page/1/', 200],
      ['/genres/rock/', 200],
      [`/records/${record!.number}/`, 301],
      ['/records/99999/missing/', 404],
      ['/search/?q=floyd', 200],
    ];
    for (const [path, status] of pages) expect((await fetch(`${api.url}${path}`, { redirect: 'manual' })).status, path).toBe(status);
    const text = await scrape();
    const series = (route: string, status: number) => sample(text, `vinyl_http_requests_total{method="GET",route="${route}",status="${status}"}`);
    expect(series('/', 200)).toBe(1);
    expect(series('/catalog', 200)).toBe(2);
    expect(series('/genres/:genre', 200)).toBe(1);
    expect(series('/records/:n/:slug', 301)).toBe(1);
    expect(series('404', 404)).toBe(1);
    expect(series('/search', 200)).toBe(1);
    expect(text).not.toContain('route="/.*/"');
    expect(text).not.toMatch(/route="[^"]*(99999|rock|floyd)/);
  });

  it('reports queues, records by status, business figures and LLM calls by provider and outcome', async () => {
    const enriched = await fetch(`${api.url}/api/ai/enrich/${recordId}`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
    expect(enriched.status).toBe(200);
    expect(((await enriched.json()) as { llm_provider: string }).llm_provider).toBe('template');
    const text = await scrape();
    expect(sample(text, 'vinyl_llm_calls_total{provider="openai",outcome="network"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'vinyl_database_up')).toBe(1);
    expect(sample(text, 'vinyl_records{status="available"}')).toBe(1);
    expect(sample(text, 'vinyl_records{status="search_request"}')).toBe(1);
    for (const queue of ['ai_jobs', 'telegram_deliveries', 'sheet_outbox']) {
      expect(sample(text, `vinyl_queue_depth{queue="${queue}"}`), queue).toBeGreaterThanOrEqual(0);
      expect(sample(text, `vinyl_queue_oldest_seconds{queue="${queue}"}`), queue).toBeGreaterThanOrEqual(0);
    }
    // Importing records queued their AI enrichment; nobody works the queue here (AI_CONCURRENCY=0).
    expect(sample(text, 'vinyl_queue_depth{queue="ai_jobs"}')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'vinyl_active_preorders')).toBe(0);
    expect(sample(text, 'vinyl_revenue_rub{period="month"}')).toBe(0);
    expect(sample(text, 'vinyl_offers_sent')).toBe(0);
    expect(text).toMatch(/vinyl_background_task_up\{task="ai-queue-worker",state="\w+"\} [01]/);
    expect(text).toContain('vinyl_process_resident_memory_bytes');
  });
});
