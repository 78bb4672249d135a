import { sleep } from '../async/sleep.ts';
import type { Database } from '../db/database.ts';
import type { ResponseCache } from '../http/response-cache.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';

/**
 * Keeps the response cache until the catalog really changed. The records' triggers bump a
 * version (migration catalog_version); the cache is emptied when the version moves, so queue
 * claims and delivery marks (writes that leave the catalog alone) keep it. This instance's own
 * writes are checked as they finish; on Supabase, other instances' writes are seen by polling.
 */
export function createCatalogFreshness(deps: { db: Database; cache: ResponseCache; pollMs?: number }) {
  let known: string | null = null;
  const check = async () => {
    const version = String(await deps.db.read<number | string>('catalog_version_get'));
    if (version === known) return;
    known = version;
    deps.cache.invalidate();
  };
  deps.db.onWrite(check);

  /** Another server on the same Supabase changed the catalog: seen within pollMs. */
  const poller: BackgroundTask = {
    name: 'catalog-version-poller',
    async run({ signal, succeeded }) {
      while (!signal.aborted) {
        await check();
        succeeded();
        await sleep(deps.pollMs ?? 500, signal);
      }
    },
  };
  return { check, poller };
}
