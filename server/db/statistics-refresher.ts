import type { Logger } from 'pino';
import type { BackgroundTask } from '../create-server.ts';
import type { Database } from './database.ts';

/**
 * Embedded PGlite has no autovacuum, so nothing would ever ANALYZE the catalog and the search's
 * row estimates would go stale. Refreshes statistics a while after writes, at most once per
 * interval, and once at start.
 */
export function createStatisticsRefresher(deps: { db: Database; logger: Logger; intervalMs?: number }): BackgroundTask {
  const intervalMs = deps.intervalMs ?? 5 * 60_000;
  let dirty = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const unsubscribe = deps.db.onWrite(() => {
    dirty = true;
  });
  const refresh = () => {
    if (!dirty) return;
    dirty = false;
    running = deps.db
      .read<void>('app_refresh_statistics')
      .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not refresh planner statistics'));
  };
  return {
    name: 'statistics-refresher',
    start() {
      refresh();
      timer = setInterval(refresh, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      unsubscribe();
      await running;
    },
  };
}
