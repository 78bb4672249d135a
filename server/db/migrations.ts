import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** supabase/migrations, the Supabase CLI's folder: the same files go to PGlite and to Supabase. */
export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../supabase/migrations');

export interface Migration {
  version: string;
  name: string;
  sql: string;
  /** sha256 of the file: a released migration never changes. */
  checksum: string;
}

export function toMigration(name: string, sql: string): Migration {
  return { version: name.slice(0, 14), name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
}

export async function loadMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => /^\d{14}_.+\.sql$/.test(file)).sort();
  return Promise.all(files.map(async (file) => toMigration(file, await readFile(path.join(dir, file), 'utf8'))));
}

/** Anything that runs SQL: PGlite, or a pg client (tests, benchmarks). */
export interface SqlExecutor {
  /** Runs a multi-statement script with the simple protocol: one implicit transaction. */
  exec(sql: string): Promise<unknown>;
  query<T>(sql: string): Promise<T[]>;
}

/** A migration was edited or removed after a database applied it; names the file and what to do. */
export class MigrationHistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationHistoryError';
  }
}

// The runner's own ledger, like Flyway's history table: app_schema_versions is written by the
// migrations themselves (so `supabase db push` records versions too); the checksums are ours.
const ledger = `
  create table if not exists app_migration_checksums (
    version text primary key,
    name text not null,
    checksum text not null,
    recorded_at timestamptz not null default now()
  );
  alter table app_migration_checksums enable row level security;`;

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;
const record = (m: Migration) =>
  `insert into app_migration_checksums (version, name, checksum) values (${quote(m.version)}, ${quote(m.name)}, ${quote(m.checksum)})
   on conflict (version) do nothing;`;

/**
 * Checks the history, then applies the pending migrations in order. Each file runs as one
 * transaction together with its checksum, so a failed migration leaves no trace. A database
 * whose applied migrations were recorded before checksums existed gets today's files' checksums
 * (a baseline). Refuses, naming the file, when an applied migration changed or is missing.
 * Returns the versions it applied.
 */
export async function applyMigrations(db: SqlExecutor, migrations: Migration[]): Promise<string[]> {
  const [{ exists } = { exists: false }] = await db.query<{ exists: boolean }>(
    `select to_regclass('public.app_schema_versions') is not null as exists`,
  );
  const applied = exists ? new Set((await db.query<{ version: string }>('select version from app_schema_versions')).map((r) => r.version)) : new Set<string>();
  await db.exec(ledger);
  const recorded = new Map((await db.query<{ version: string; checksum: string }>('select version, checksum from app_migration_checksums')).map((r) => [r.version, r.checksum]));

  const known = new Set(migrations.map((m) => m.version));
  const missing = [...applied].filter((version) => !known.has(version)).sort();
  if (missing.length > 0) {
    throw new MigrationHistoryError(
      `The database has applied migration ${missing.join(', ')}, which supabase/migrations no longer has. ` +
        'Restore the file (released migrations are never removed), or run the server version that made this database.',
    );
  }
  for (const m of migrations) {
    const checksum = recorded.get(m.version);
    if (applied.has(m.version) && checksum !== undefined && checksum !== m.checksum) {
      throw new MigrationHistoryError(
        `Migration ${m.name} was changed after this database applied it. Released migrations never change: ` +
          'restore the file as it was and put the change in a new migration (create or replace for functions).',
      );
    }
  }
  const baseline = migrations.filter((m) => applied.has(m.version) && !recorded.has(m.version));
  if (baseline.length > 0) await db.exec(baseline.map(record).join('\n'));

  const pending = migrations.filter((m) => !applied.has(m.version));
  for (const migration of pending) {
    try {
      await db.exec(`${migration.sql}\n;\n${record(migration)}`);
    } catch (error) {
      throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return pending.map((m) => m.version);
}

/** The executor of a node-postgres client (tests, benchmarks, a migration run against a database URL). */
export function pgClientExecutor(client: { query(sql: string): Promise<{ rows: unknown[] }> }): SqlExecutor {
  return { exec: (sql) => client.query(sql), query: async <T>(sql: string) => (await client.query(sql)).rows as T[] };
}
