import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { DatabaseConfig } from '../config.ts';
import { createDatabase, type Database } from './database.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { applyMigrations, loadMigrations, schemaVersionsQuery, schemaVersionsTableExists } from './migrations.ts';
import { createPgliteTransport, openPglite } from './pglite-transport.ts';
import { createSupabaseTransport } from './supabase-transport.ts';

/** Applies pending migrations to an embedded database. */
export async function migratePglite(pg: PGlite): Promise<string[]> {
  return applyMigrations(
    {
      exec: (sql) => pg.exec(sql),
      async versions() {
        const exists = await pg.query<{ exists: boolean }>(schemaVersionsTableExists);
        if (!exists.rows[0]?.exists) return [];
        return (await pg.query<{ version: string }>(schemaVersionsQuery)).rows.map((r) => r.version);
      },
    },
    await loadMigrations(),
  );
}

/**
 * Opens the configured database: embedded PGlite under DATA_DIR (locked, migrated), or Supabase
 * (whose migrations are applied with `supabase db push`; we only check they are there).
 */
export async function openDatabase(config: DatabaseConfig, log: (message: string) => void): Promise<Database> {
  if (config.kind === 'supabase') {
    const db = createDatabase(createSupabaseTransport(config));
    try {
      await db.read('app_status');
    } catch (error) {
      throw new Error(
        `Supabase at ${config.url} does not answer app_status(): apply the migrations first (supabase db push). ${(error as Error).message}`,
        { cause: error },
      );
    }
    return db;
  }
  const lock = lockDataDir(config.dataDir);
  try {
    const pg = await openPglite({ dataDir: path.join(config.dataDir, 'pglite') });
    const applied = await migratePglite(pg);
    if (applied.length > 0) log(`applied migrations ${applied.join(', ')}`);
    const db = createDatabase(createPgliteTransport(pg));
    return {
      ...db,
      async close() {
        try {
          await db.close();
        } finally {
          lock.release();
        }
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}
