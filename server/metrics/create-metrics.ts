import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { AdminStatistics } from '../../shared/demand-contract.ts';
import type { Database } from '../db/database.ts';
import type { TaskStatus } from '../tasks/task-supervisor.ts';
import { createHttpMetrics } from './http-metrics.ts';

/** What the database says at scrape time (supabase/migrations/20261202005100_operations_figures.sql). */
export interface OpsFigures {
  queues: Record<'ai_jobs' | 'telegram_deliveries' | 'sheet_outbox', { depth: number; oldest_s: number }>;
  sheet: { since_push_s: number | null; since_reconcile_s: number | null; since_heard_s: number | null };
  deliveries: Record<string, number>;
  ai_jobs: Record<string, number>;
  offers: Record<string, number>;
  records: Record<string, number>;
}

export interface MetricsSources {
  db: Database;
  /** Response-cache lookups so far (response-cache.ts keeps plain counters). */
  cacheLookups: () => { hits: number; misses: number };
  tasks: () => TaskStatus[];
}

/**
 * Prometheus metrics (prom-client) in a registry of this server's own. Per request only plain
 * numbers move (http-metrics.ts), so the cached catalog path stays cheap (bench:api measures
 * it: metrics_overhead). Everything the database knows is
 * read when /metrics is scraped, at most once per `figuresTtlMs`.
 */
export function createMetrics(sources: MetricsSources, options: { figuresTtlMs?: number } = {}) {
  const registry = new Registry();
  // The event-loop lag histogram samples every 100 ms, not prom-client's default 10 ms: each
  // sample is a timer that wakes a waiting server. Measured on an idle server: 6.4 ms of CPU a
  // second for the 10 ms samples, 0.9 ms for 100 ms ones; under bench:api's load of 1,000
  // requests a second, the 10 ms samples cost about 2% of the CPU per request. A stall of
  // 100 ms or more is still always caught, shorter ones when they span a sample.
  collectDefaultMetrics({ register: registry, prefix: 'vinyl_', eventLoopMonitoringPrecision: 100 });
  const registers = [registry];

  const http = createHttpMetrics(registry);

  const llmCalls = new Counter({ name: 'vinyl_llm_calls_total', help: 'LLM provider calls by outcome', labelNames: ['provider', 'outcome'], registers });

  // Monotonic figures kept elsewhere become counters by adding what grew since the last scrape.
  let cacheSeen = { hits: 0, misses: 0 };
  new Counter({
    name: 'vinyl_response_cache_lookups_total',
    help: 'Public catalog response-cache lookups by result',
    labelNames: ['result'],
    registers,
    collect() {
      const now = sources.cacheLookups();
      this.inc({ result: 'hit' }, Math.max(0, now.hits - cacheSeen.hits));
      this.inc({ result: 'miss' }, Math.max(0, now.misses - cacheSeen.misses));
      cacheSeen = now;
    },
  });

  new Gauge({
    name: 'vinyl_background_task_up',
    help: 'Background task state: 1 running or idle, 0 restarting or failed',
    labelNames: ['task', 'state'],
    registers,
    collect() {
      this.reset();
      for (const t of sources.tasks()) this.set({ task: t.name, state: t.state }, t.state === 'failed' || t.state === 'restarting' ? 0 : 1);
    },
  });

  let figures: { at: number; value: Promise<{ ops: OpsFigures; stats: AdminStatistics } | null> } | null = null;
  const ttl = options.figuresTtlMs ?? 5000;
  const readFigures = () => {
    if (!figures || Date.now() - figures.at > ttl) {
      const value = Promise.all([sources.db.read<OpsFigures>('ops_figures'), sources.db.read<AdminStatistics>('admin_statistics')])
        .then(([ops, stats]) => ({ ops, stats }))
        .catch(() => null);
      figures = { at: Date.now(), value };
    }
    return figures.value;
  };
  const fromDatabase = (name: string, help: string, labelNames: string[], fill: (g: Gauge<string>, f: { ops: OpsFigures; stats: AdminStatistics }) => void) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        this.reset();
        const f = await readFigures();
        if (f) fill(this, f);
      },
    });

  new Gauge({
    name: 'vinyl_database_up',
    help: 'The database answered the last scrape (1) or not (0)',
    registers,
    async collect() {
      this.set((await readFigures()) ? 1 : 0);
    },
  });
  fromDatabase('vinyl_queue_depth', 'Items waiting (AI jobs queued or running, Telegram deliveries pending, sheet outbox unacknowledged)', ['queue'], (g, { ops }) => {
    for (const [queue, q] of Object.entries(ops.queues)) g.set({ queue }, q.depth);
  });
  fromDatabase('vinyl_queue_oldest_seconds', 'Age of the oldest waiting item', ['queue'], (g, { ops }) => {
    for (const [queue, q] of Object.entries(ops.queues)) g.set({ queue }, q.oldest_s);
  });
  fromDatabase('vinyl_sheet_sync_lag_seconds', 'Seconds since the sheet last pushed, reconciled, or was heard from at all', ['event'], (g, { ops }) => {
    const events = { push: ops.sheet.since_push_s, reconcile: ops.sheet.since_reconcile_s, any: ops.sheet.since_heard_s };
    for (const [event, seconds] of Object.entries(events)) if (seconds !== null) g.set({ event }, seconds);
  });
  fromDatabase('vinyl_telegram_deliveries', 'Telegram messages of the delivery queue by outcome (sent, failed, cancelled, pending)', ['outcome'], (g, { ops }) => {
    for (const [outcome, n] of Object.entries(ops.deliveries)) g.set({ outcome }, n);
  });
  fromDatabase('vinyl_ai_jobs', 'AI enrichment jobs by state', ['state'], (g, { ops }) => {
    for (const [state, n] of Object.entries(ops.ai_jobs)) g.set({ state }, n);
  });
  fromDatabase('vinyl_records', 'Records by status', ['status'], (g, { ops }) => {
    for (const [status, n] of Object.entries(ops.records)) g.set({ status }, n);
  });
  fromDatabase('vinyl_offers', 'Pre-order offers by status (converted: bought)', ['status'], (g, { ops }) => {
    for (const [status, n] of Object.entries(ops.offers)) g.set({ status }, n);
  });
  fromDatabase('vinyl_active_preorders', 'Active pre-orders', [], (g, { stats }) => g.set(stats.engagement.active_pre_orders));
  fromDatabase('vinyl_offer_conversion_percent', 'Percent of sent offers that were bought', [], (g, { stats }) => g.set(stats.engagement.conversion_rate));
  fromDatabase('vinyl_offers_sent', 'Offers sent to customers', [], (g, { stats }) => g.set(stats.engagement.offers_sent));
  fromDatabase('vinyl_revenue_rub', 'Revenue in roubles', ['period'], (g, { stats }) => {
    g.set({ period: 'week' }, stats.revenue.this_week);
    g.set({ period: 'month' }, stats.revenue.this_month);
  });

  return {
    registry,
    /** Counts the app's responses by route and status (http-metrics.ts). */
    observe: http.observe,
    /** Called by the AI module after every provider call: ok, or the failure kind. */
    llmCall: (provider: string, outcome: string) => llmCalls.inc({ provider, outcome }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
