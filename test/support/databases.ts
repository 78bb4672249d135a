import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { createDatabase, type Database } from '../../server/db/database.ts';
import { createPgliteTransport, openPglite } from '../../server/db/pglite-transport.ts';
import { createSupabaseTransport } from '../../server/db/supabase-transport.ts';
import {
  copyProjectDatabase,
  createProjectDatabase,
  databaseUrl,
  dropProjectDatabase,
  startSupabaseApi,
  type ProjectOptions,
  type SupabaseApi,
} from './supabase-project.ts';

export interface TestDatabase {
  name: 'pglite' | 'supabase';
  db: Database;
  /** Runs raw SQL against the backing database (as a superuser on Postgres), for assertions only. */
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

export interface SupabaseProject {
  /** The database's name in the test cluster. */
  database: string;
  /** The project's API: gateway URL, its keys, the PostgREST process. */
  api: SupabaseApi;
  /** Superuser SQL on the project's database, for setup and assertions. */
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * A Supabase project of its own: a new database (a copy of the migrated template, or with
 * `fresh` one set up as Supabase creates it and not migrated) behind its own real PostgREST
 * and gateway. Drop it with close().
 */
export async function supabaseProject(options: { fresh?: ProjectOptions } = {}): Promise<SupabaseProject> {
  const { template, ...cluster } = inject('postgres');
  const database = `t_${randomBytes(6).toString('hex')}`;
  if (options.fresh) await createProjectDatabase(cluster, database, options.fresh);
  else await copyProjectDatabase(cluster, database, template);
  let api: SupabaseApi;
  try {
    api = await startSupabaseApi(cluster, database);
  } catch (error) {
    await dropProjectDatabase(cluster, database);
    throw error;
  }
  const pool = new pg.Pool({ connectionString: databaseUrl(cluster, database), max: 2 });
  pool.on('error', () => {});
  return {
    database,
    api,
    sql: async (text, params) => (await pool.query(text, params)).rows as never,
    async close() {
      await api.close();
      await pool.end();
      await dropProjectDatabase(cluster, database);
    },
  };
}

/**
 * A fresh real PostgreSQL 15 database (copied from the migrated template) behind the real
 * PostgREST and the Supabase gateway, reached through supabase-js with a service key: the
 * production Supabase path, minus the cloud. `key` picks the kind of key the server is given.
 */
export async function supabaseDatabase(options: { key?: 'secret' | 'service_role' } = {}): Promise<TestDatabase & { project: SupabaseProject }> {
  const project = await supabaseProject();
  const serviceRoleKey = options.key === 'service_role' ? project.api.keys.serviceRole : project.api.keys.secret;
  return {
    name: 'supabase',
    project,
    db: createDatabase(createSupabaseTransport({ url: project.api.url, serviceRoleKey })),
    sql: project.sql,
    close: project.close,
  };
}

/** Both transports, for contract suites: `describe.each(transports)`. */
export const transports = [
  ['pglite', pgliteDatabase],
  ['supabase', () => supabaseDatabase()],
] as const;
