import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** supabase/migrations, the Supabase CLI's folder: the same files go to PGlite and to Supabase. */
export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../supabase/migrations');

export interface Migration {
  version: string;
  name: string;
  sql: string;
}

export async function loadMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => /^\d{14}_.+\.sql$/.test(file)).sort();
  return Promise.all(
    files.map(async (file) => ({ version: file.slice(0, 14), name: file, sql: await readFile(path.join(dir, file), 'utf8') })),
  );
}

/** Anything that runs a multi-statement script (PGlite's exec, a pg client's query). */
export interface SqlExecutor {
  exec(sql: string): Promise<unknown>;
  versions(): Promise<string[]>;
}

/**
 * Applies the migrations not applied yet, in order; each file is one simple-protocol script,
 * so Postgres runs it as one transaction. Returns the versions it applied.
 */
export async function applyMigrations(db: SqlExecutor, migrations: Migration[]): Promise<string[]> {
  const applied = new Set(await db.versions());
  const pending = migrations.filter((m) => !applied.has(m.version));
  for (const migration of pending) {
    try {
      await db.exec(migration.sql);
    } catch (error) {
      throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return pending.map((m) => m.version);
}

export const schemaVersionsQuery = `select version from app_schema_versions`;
export const schemaVersionsTableExists = `select to_regclass('public.app_schema_versions') is not null as exists`;
