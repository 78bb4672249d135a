import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, parseConfig } from '../config.ts';
import { lockDataDir } from '../db/data-dir-lock.ts';
import { openPglite } from '../db/pglite-transport.ts';
import { createProgress } from './cli-progress.ts';
import { restoreSupabaseDump } from './supabase-restore.ts';

/**
 * npm run restore -- <backup>: brings a backup back, never over existing data.
 *  - Embedded database: a .tar.gz into DATA_DIR, which must be empty. The server applies any
 *    newer migrations when it starts.
 *  - Supabase (SUPABASE_URL set): a .dump of npm run backup into the empty database behind
 *    SUPABASE_DB_URL, with pg_restore (supabase-restore.ts).
 */
const progress = createProgress();

async function main() {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const file = process.argv[2];
  if (!file || file.startsWith('-')) throw new Error('usage: npm run restore -- <backup file: .tar.gz into the empty DATA_DIR, or with Supabase .dump into the empty SUPABASE_DB_URL>');
  if (config.database.kind !== 'pglite') {
    if (!config.backup.databaseUrl) throw new Error('SUPABASE_URL is set: set SUPABASE_DB_URL to the new, empty project\'s connection string to restore a dump there');
    const restored = await restoreSupabaseDump(file, config.backup.databaseUrl, progress.step);
    progress.step(`restored: schema ${restored.schemaVersion}, ${restored.records} records`);
    console.log(new URL(config.backup.databaseUrl).pathname.slice(1) || 'postgres');
    return;
  }
  const target = path.join(config.dataDir, 'pglite');
  const lock = await lockDataDir(config.dataDir);
  try {
    const existing = await readdir(target).catch(() => []);
    if (existing.length > 0) throw new Error(`${path.resolve(target)} is not empty: restore into a new DATA_DIR (or move this one away first)`);
    progress.step(`reading ${path.resolve(file)}`);
    const dump = new Blob([await readFile(file)]);
    progress.step(`unpacking ${progress.size(dump.size)} into ${path.resolve(target)}`);
    const pg = await openPglite({ template: dump, dataDir: target });
    try {
      const { rows } = await pg.query<{ status: { schema_version: string; records: number } }>('select app_status() as status');
      progress.step(`restored: schema ${rows[0]!.status.schema_version}, ${rows[0]!.status.records} records`);
    } finally {
      await pg.close();
    }
  } finally {
    await lock.release();
  }
  console.log(path.resolve(target));
}

main().catch((error: unknown) => {
  console.error(`restore failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
