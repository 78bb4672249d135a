import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { DatabaseConfig } from '../config.ts';
import { createDatabase, DbError, type Database } from './database.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { applyMigrations, loadMigrations, MigrationHistoryError, type Migration } from './migrations.ts';
import { createPgliteTransport, openPglite } from './pglite-transport.ts';
import { explainSupabaseStartupFailure } from './supabase-startup-error.ts';
import { createSupabaseTransport } from './supabase-transport.ts';

/** Checks the migration history and applies pending migrations to an embedded database. */
export async function migratePglite(pg: PGlite, migrations?: Migration[]): Promise<string[]> {
  return applyMigrations(
    { exec: (sql) => pg.exec(sql), query: async <T>(sql: string) => (await pg.query<T>(sql)).rows },
    migrations ?? (await loadMigrations()),
  );
}

/**
 * Opens the configured database: embedded PGlite under DATA_DIR (locked, migrated), or Supabase
 * (whose migrations are applied with `supabase db push`; we only check they are there).
 */
export async function openDatabase(config: DatabaseConfig, log: (message: string) => void): Promise<Database> {
  if (config.kind === 'supabase') {
    const db = createDatabase(createSupabaseTransport(config));
    let status: { schema_version: string | null };
    try {
      status = await db.read('app_status');
    } catch (error) {
      throw new Error(explainSupabaseStartupFailure(config.url, error), { cause: error });
    }
    // `supabase db push` keeps its own history; what we can check is that the newest migration
    // this code needs is there (the functions would otherwise fail one by one).
    const latest = (await loadMigrations()).at(-1)!;
    if ((status.schema_version ?? '') < latest.version) {
      throw new MigrationHistoryError(
        `Supabase at ${config.url} is at migration ${status.schema_version ?? 'none'}, but this server needs ${latest.name}: apply the migrations (supabase db push).`,
      );
    }
    if (status.schema_version! > latest.version) log(`Supabase has migration ${status.schema_version}, newer than this server's ${latest.version}`);
    return db;
  }
  // Losing the lock (another server took it over after this one stalled past its staleness) is
  // reported like a broken database: main.ts stops, and the process supervisor starts afresh.
  const lockLost = new Set<(error: Error) => void>();
  const lock = await lockDataDir(config.dataDir, {
    log,
    onCompromised: (error) => {
      const lost = new DbError('data_dir_lock_lost', `the lock on ${config.dataDir} was lost: ${error.message}`);
      for (const listener of lockLost) listener(lost);
    },
  });
  try {
    const pg = await openPglite({ dataDir: path.join(config.dataDir, 'pglite') });
    const applied = await migratePglite(pg);
    if (applied.length > 0) log(`applied migrations ${applied.join(', ')}`);
    const db = createDatabase(createPgliteTransport(pg));
    return {
      ...db,
      onBroken(listener) {
        db.onBroken(listener);
        lockLost.add(listener);
      },
      async close() {
        try {
          await db.close();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
