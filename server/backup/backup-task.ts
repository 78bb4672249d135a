import { stat } from 'node:fs/promises';
import type { Logger } from 'pino';
import { sleep } from '../async/sleep.ts';
import type { Database } from '../db/database.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';
import { listBackups, pruneBackups, writeBackup } from './embedded-backup.ts';

/**
 * The embedded database backed up every `intervalHours` into `dir`, keeping the newest `keep`.
 * The first backup waits for the interval since the newest file, so restarts do not add backups.
 * A failure is the supervisor's: retried with backoff, the admin told.
 */
export function createBackupTask(deps: { db: Database; dir: string; keep: number; intervalHours: number; logger: Logger; now?: () => Date }): BackgroundTask {
  const now = deps.now ?? (() => new Date());
  const intervalMs = deps.intervalHours * 3600_000;
  return {
    name: 'embedded-backup',
    async run({ signal, succeeded }) {
      const backup = deps.db.backup;
      if (!backup) throw new Error('backups in the server are for the embedded database; on Supabase use npm run backup with SUPABASE_DB_URL');
      while (!signal.aborted) {
        const newest = (await listBackups(deps.dir)).at(-1);
        const age = newest ? now().getTime() - (await stat(newest)).mtimeMs : Infinity;
        if (age >= intervalMs) {
          const started = Date.now();
          const written = await writeBackup(await backup(), deps.dir, now());
          const pruned = await pruneBackups(deps.dir, deps.keep);
          deps.logger.info({ file: written.file, bytes: written.bytes, ms: Date.now() - started, pruned: pruned.length }, 'database backed up');
        }
        succeeded();
        // Just backed up: a whole interval; else until the newest backup is an interval old.
        await sleep(Math.max(1000, age >= intervalMs ? intervalMs : intervalMs - age), signal);
      }
    },
  };
}
