import path from 'node:path';
import { Router } from 'express';
import type { Database } from '../db/database.ts';
import { requireAdminToken } from '../http/admin-auth.ts';
import { HttpError } from '../http/http-error.ts';
import { pruneBackups, writeBackup } from './embedded-backup.ts';

/**
 * POST /api/admin/backup (admin token): the running server backs up its embedded database into
 * its backup directory. `npm run backup` uses it when the server holds the data directory.
 */
export function createBackupRoutes(deps: { db: Database; dir: string; keep: number; adminApiToken: string | null }): Router {
  const router = Router();
  router.post('/api/admin/backup', requireAdminToken(deps.adminApiToken), async (_req, res) => {
    const backup = deps.db.backup;
    if (!backup) throw new HttpError(409, 'backups here are for the embedded database', [{ field: 'database', message: 'on Supabase run npm run backup with SUPABASE_DB_URL' }]);
    const started = Date.now();
    const written = await writeBackup(await backup(), deps.dir);
    await pruneBackups(deps.dir, deps.keep);
    res.status(201).json({ file: path.resolve(written.file), bytes: written.bytes, duration_ms: Date.now() - started });
  });
  return router;
}
