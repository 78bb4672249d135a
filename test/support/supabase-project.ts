// A Supabase project without the cloud: real PostgreSQL set up the way Supabase sets up a
// project, migrated by the non-superuser `postgres` as `supabase db push` does, behind the real
// PostgREST and a /rest/v1 gateway that checks API keys.
// What Supabase provides: https://supabase.com/docs/guides/database/postgres/roles and
// https://docs.postgrest.org/en/v12/references/auth.html
import pg from 'pg';
import { applyMigrations, loadMigrations, pgClientExecutor } from '../../server/db/migrations.ts';
import { quoteIdent } from './postgres-cluster.ts';
import { startPostgrest, type PostgrestServer } from './postgrest-server.ts';
import { createApiKeys, startSupabaseGateway, type ApiKeys } from './supabase-gateway.ts';

/** Where the cluster is; its bootstrap superuser plays Supabase's `supabase_admin`. */
export interface ProjectCluster {
  port: number;
  superuser: string;
}

export const databaseUrl = (cluster: ProjectCluster, database: string, user = cluster.superuser) =>
  `postgresql://${encodeURIComponent(user)}@127.0.0.1:${cluster.port}/${encodeURIComponent(database)}`;

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * The roles of every Supabase project (cluster-wide, so once per cluster): `postgres` is not a
 * superuser and owns the schema; PostgREST logs in as `authenticator` and switches to the role
 * named by the request's JWT.
 */
export async function createSupabaseRoles(cluster: ProjectCluster): Promise<void> {
  await withClient(databaseUrl(cluster, 'postgres'), (client) =>
    client.query(`
      create role postgres login createdb createrole bypassrls;
      create role anon nologin noinherit;
      create role authenticated nologin noinherit;
      create role service_role nologin noinherit bypassrls;
      create role authenticator login noinherit;
      grant anon, authenticated, service_role to authenticator;
      alter role authenticator set statement_timeout = '8s';
      alter role anon set statement_timeout = '3s';
      alter role authenticated set statement_timeout = '8s';
    `),
  );
}

export interface ProjectOptions {
  /**
   * Projects created before 2026 also granted every new table in public to anon, authenticated
   * and service_role by default; today's grant tables to no one.
   */
  legacyTableGrants?: boolean;
}

/**
 * A new project's database, not migrated: owned by `postgres`, the extensions in `extensions`
 * created by the superuser (as Supabase does), and Supabase's default privileges on what
 * `postgres` creates in public.
 */
export async function createProjectDatabase(cluster: ProjectCluster, name: string, options: ProjectOptions = {}): Promise<void> {
  await withClient(databaseUrl(cluster, 'postgres'), (client) =>
    client.query(`create database ${quoteIdent(name)} owner postgres`),
  );
  const apiObjects = options.legacyTableGrants ? ['tables', 'sequences', 'functions'] : ['sequences', 'functions'];
  await withClient(databaseUrl(cluster, name), (client) =>
    client.query(`
      create schema extensions;
      create extension pg_trgm with schema extensions;
      create extension unaccent with schema extensions;
      create extension fuzzystrmatch with schema extensions;
      create extension pgcrypto with schema extensions;
      grant usage on schema extensions to postgres, anon, authenticated, service_role;
      grant usage on schema public to anon, authenticated, service_role;
      ${apiObjects
        .map((kind) => `alter default privileges for role postgres in schema public grant all on ${kind} to anon, authenticated, service_role;`)
        .join('\n')}
    `),
  );
}

/** A copy of a migrated project (CREATE DATABASE ... TEMPLATE: much faster than migrating). */
export async function copyProjectDatabase(cluster: ProjectCluster, name: string, template: string): Promise<void> {
  await withClient(databaseUrl(cluster, 'postgres'), (client) =>
    client.query(`create database ${quoteIdent(name)} template ${quoteIdent(template)} owner postgres`),
  );
}

export async function dropProjectDatabase(cluster: ProjectCluster, name: string): Promise<void> {
  await withClient(databaseUrl(cluster, 'postgres'), (client) =>
    client.query(`drop database if exists ${quoteIdent(name)} with (force)`),
  );
}

/** Applies the migrations as `postgres`, like `supabase db push`; `until` stops after that version. */
export async function migrateProject(cluster: ProjectCluster, name: string, options: { until?: string } = {}): Promise<string[]> {
  const migrations = (await loadMigrations()).filter((m) => options.until === undefined || m.version <= options.until);
  return withClient(databaseUrl(cluster, name, 'postgres'), async (client) => {
    const applied = await applyMigrations(pgClientExecutor(client), migrations);
    // Supabase sends this from an event trigger; without it PostgREST keeps its old schema cache.
    await client.query(`notify pgrst, 'reload schema'`);
    return applied;
  });
}

export interface SupabaseApi {
  /** SUPABASE_URL: the gateway, in front of PostgREST. */
  url: string;
  keys: ApiKeys;
  postgrest: PostgrestServer;
  /** Migrates further as `postgres` and waits until PostgREST has reloaded its schema cache. */
  migrate(options?: { until?: string }): Promise<string[]>;
  close(): Promise<void>;
}

/** PostgREST configured as on Supabase, for one database, behind the key-checking gateway. */
export async function startSupabaseApi(cluster: ProjectCluster, database: string): Promise<SupabaseApi> {
  const keys = createApiKeys();
  const postgrest = await startPostgrest({
    dbUri: databaseUrl(cluster, database, 'authenticator'),
    jwtSecret: keys.jwtSecret,
    anonRole: 'anon',
    schemas: 'public',
    extraSearchPath: 'public, extensions',
  });
  let gateway;
  try {
    gateway = await startSupabaseGateway({ keys, upstream: { socketPath: postgrest.socketPath } });
  } catch (error) {
    await postgrest.close();
    throw error;
  }
  return {
    url: gateway.url,
    keys,
    postgrest,
    async migrate(options) {
      let applied: string[] = [];
      await postgrest.reloadSchema(async () => {
        applied = await migrateProject(cluster, database, options);
      });
      return applied;
    },
    async close() {
      await gateway.close();
      await postgrest.close();
    },
  };
}
