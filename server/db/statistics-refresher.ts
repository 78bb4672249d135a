import type { Logger } from 'pino';
import { sleep } from '../async/sleep.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';
import type { Database } from './database.ts';

/**
 * Embedded PGlite has no autovacuum, so nothing would ever ANALYZE the catalog and the search's
 * row estimates would go stale. Refreshes statistics a while after writes, at most once per
 * interval, and once at start. A failed refresh ends the run (the supervisor retries it with
 * backoff) and is tried again on the next run.
 */
export function createStatisticsRefresher(deps: { db: Database; logger: Logger; intervalMs?: number }): BackgroundTask {
  const intervalMs = deps.intervalMs ?? 5 * 60_000;
  let dirty = true;
  return {
    name: 'statistics-refresher',
    async run({ signal, succeeded }) {
      const unsubscribe = deps.db.onWrite(() => {
        dirty = true;
      });
      try {
        while (!signal.aborted) {
          if (dirty) {
            dirty = false;
            try {
              await deps.db.read<void>('app_refresh_statistics');
            } catch (error) {
              dirty = true; // writes seen before the failure still need their statistics
              throw error;
            }
          }
          succeeded();
          await sleep(intervalMs, signal);
        }
      } finally {
        unsubscribe();
      }
    },
  };
}
