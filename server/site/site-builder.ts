import type { Logger } from 'pino';
import { sleep } from '../async/sleep.ts';
import type { ResponseCache } from '../http/response-cache.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';
import type { SiteCatalog } from './site-catalog.ts';
import type { ExportResult, SiteExporter } from './site-export.ts';

export interface BuildResult extends ExportResult {
  /** null: no deploy hook configured; otherwise whether the host accepted the call. */
  deployed: boolean | null;
}

export interface SiteBuilderDeps {
  /** The builder's own copy of the catalog: its refreshes report what changed since its last build. */
  site: SiteCatalog;
  exporter: () => Promise<SiteExporter>;
  /** Emptied whenever the catalog changes (catalog-freshness.ts): the builder watches its counter. */
  cache: ResponseCache;
  logger: Logger;
  deployHookUrl: string | null;
  /** Quiet time after the last change before rebuilding (a paste of many rows is one build). */
  debounceMs?: number;
  /** A change keeps coming: build at the latest this long after the first one. */
  maxDelayMs?: number;
  /** A full rebuild at least this often (pages whose text depends on the date, hard deletes). */
  fullEveryMs?: number;
  pollMs?: number;
}

/**
 * Keeps the static export in step with the catalog: a full build on start and daily, an
 * incremental one after changes (debounced), and one on the admin's request (admin API, bot
 * command). After a build that changed files, the optional deploy hook (Netlify build hook,
 * Vercel deploy hook, any URL that takes a POST) is called.
 */
export function createSiteBuilder(deps: SiteBuilderDeps) {
  const debounceMs = deps.debounceMs ?? 2000;
  const maxDelayMs = deps.maxDelayMs ?? 30_000;
  const fullEveryMs = deps.fullEveryMs ?? 24 * 3600_000;
  let lastFull = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let last: BuildResult | null = null;

  async function deploy(): Promise<boolean | null> {
    if (!deps.deployHookUrl) return null;
    try {
      const response = await fetch(deps.deployHookUrl, { method: 'POST', signal: AbortSignal.timeout(15_000) });
      // The hook's URL is its secret: logged never, only the answer.
      if (!response.ok) deps.logger.warn({ status: response.status }, 'site deploy hook refused the call');
      return response.ok;
    } catch (error) {
      deps.logger.warn({ error: error instanceof Error ? error.name : 'error' }, 'site deploy hook unreachable');
      return false;
    }
  }

  async function run(full: boolean, reason: string): Promise<BuildResult> {
    const exporter = await deps.exporter();
    let result: ExportResult;
    if (full || lastFull === 0 || Date.now() - lastFull >= fullEveryMs) {
      await deps.site.reload();
      result = await exporter.full(await deps.site.current());
      lastFull = Date.now();
    } else {
      const change = await deps.site.refresh();
      result = change.changes.length === 0 ? { kind: 'incremental', rendered: 0, written: 0, deleted: 0, ms: 0 } : await exporter.incremental(await deps.site.current(), change);
    }
    const deployed = result.written + result.deleted > 0 ? await deploy() : null;
    last = { ...result, deployed };
    deps.logger.info({ reason, ...last, ms: Math.round(result.ms) }, 'site exported');
    return last;
  }

  /** Builds now (after any build in progress); full reads and renders everything. */
  function build(options: { full?: boolean; reason?: string } = {}): Promise<BuildResult> {
    const next = queue.then(() => run(options.full ?? false, options.reason ?? 'request'));
    queue = next.catch(() => undefined);
    return next;
  }

  const task: BackgroundTask = {
    name: 'site-export',
    async run({ signal, succeeded }) {
      let seen = deps.cache.invalidations;
      if (lastFull === 0) await build({ full: true, reason: 'start' });
      succeeded();
      let firstChange = 0;
      let lastChange = 0;
      while (!signal.aborted) {
        await sleep(deps.pollMs ?? 250, signal);
        const now = Date.now();
        if (deps.cache.invalidations !== seen) {
          seen = deps.cache.invalidations;
          lastChange = now;
          firstChange ||= now;
        }
        const due = firstChange > 0 && (now - lastChange >= debounceMs || now - firstChange >= maxDelayMs);
        if (due || now - lastFull >= fullEveryMs) {
          firstChange = 0;
          await build({ reason: due ? 'catalog changed' : 'daily' });
          succeeded();
        }
      }
    },
  };

  return {
    build,
    task,
    /** The last build's result (null before the first). */
    get last() {
      return last;
    },
  };
}
export type SiteBuilder = ReturnType<typeof createSiteBuilder>;
