import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, type Database } from '../../server/db/database.ts';
import { applyMigrations, loadMigrations, schemaVersionsQuery, schemaVersionsTableExists } from '../../server/db/migrations.ts';
import { createPgliteTransport, openPglite } from '../../server/db/pglite-transport.ts';
import { createSupabaseTransport } from '../../server/db/supabase-transport.ts';
import { quoteIdent } from './postgres-cluster.ts';
import { startPostgrestEmulator } from './postgrest-emulator.ts';

/** Applies the project's migrations to a real Postgres database, as `supabase db push` would. */
export async function migratePostgres(client: pg.Client): Promise<string[]> {
  return applyMigrations(
    {
      exec: (sql) => client.query(sql),
      async versions() {
        const exists = await client.query<{ exists: boolean }>(schemaVersionsTableExists);
        if (!exists.rows[0]?.exists) return [];
        return (await client.query<{ version: string }>(schemaVersionsQuery)).rows.map((r) => r.version);
      },
    },
    await loadMigrations(),
  );
}

export interface TestDatabase {
  name: 'pglite' | 'supabase';
  db: Database;
  /** Runs raw SQL against the backing database, for assertions only. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A fresh embedded database: a copy of the migrated template, in memory. */
export async function pgliteDatabase(): Promise<TestDatabase> {
  const template = new Blob([await readFile(inject('pgliteTemplateFile'))]);
  const pg = await openPglite({ template });
  return {
    name: 'pglite',
    db: createDatabase(createPgliteTransport(pg)),
    sql: async (text, params) => (await pg.query(text, params)).rows as never,
    close: () => pg.close(),
  };
}

/**
 * A fresh real PostgreSQL 15 database (copied from the migrated template) behind the PostgREST
 * emulator, reached through supabase-js: the production Supabase path, minus the cloud.
 */
export async function supabaseDatabase(): Promise<TestDatabase> {
  const { adminUrl, urlTemplate, template } = inject('postgres');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${quoteIdent(name)} template ${quoteIdent(template)}`);
  await admin.end();
  const connectionString = urlTemplate.replace('DATABASE', name);
  const serviceRoleKey = `test-service-role-${randomBytes(8).toString('hex')}`;
  const postgrest = await startPostgrestEmulator({ connectionString, serviceRoleKey });
  const pool = new pg.Pool({ connectionString, max: 2 });
  return {
    name: 'supabase',
    db: createDatabase(createSupabaseTransport({ url: postgrest.url, serviceRoleKey })),
    sql: async (text, params) => (await pool.query(text, params)).rows as never,
    async close() {
      await postgrest.close();
      await pool.end();
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${quoteIdent(name)} with (force)`);
      await dropper.end();
    },
  };
}

/** Both transports, for contract suites: `describe.each(transports)`. */
export const transports = [
  ['pglite', pgliteDatabase],
  ['supabase', supabaseDatabase],
] as const;
