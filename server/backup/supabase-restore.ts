import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { libpqEnvironment } from './libpq-environment.ts';

const run = promisify(execFile);

/** Runs one of postgresql-client's tools with the URL's connection in libpq's environment. */
async function tool(name: 'psql' | 'pg_restore', args: string[], databaseUrl: string): Promise<string> {
  try {
    const { stdout } = await run(name, args, { env: { ...process.env, ...libpqEnvironment(databaseUrl) }, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`cannot run ${name} (install postgresql-client 15 or newer)`);
    const lines = (e.stderr ?? '').split('\n').filter((l) => /error|fatal|could not/i.test(l));
    throw new Error(`${name} failed: ${lines.slice(0, 3).join(' / ') || e.message.split('\n')[0]}`);
  }
}

/**
 * Restores an `npm run backup` dump of a Supabase project (pg_dump custom format, schema public,
 * no owners, no privileges) into a new project's empty database, as the project's own
 * non-superuser `postgres`:
 *  - into an empty public schema only: a restore never mixes with existing data;
 *  - in one transaction that stops at the first error, so a failed restore leaves nothing behind;
 *  - without the dump's `CREATE SCHEMA public` (pg_dump writes it when asked for --schema=public):
 *    every new database has that schema, and its owner is not ours to change;
 *  - the extensions are the new project's own (schema `extensions`, as every Supabase project has
 *    them): the dump refers to them by that schema and does not create them;
 *  - everything comes back owned by the role that restores it, and the API roles' rights are
 *    then granted again by app_restrict_functions(), as every migration ends: the dump carries no
 *    privileges, and the new project's default privileges would otherwise have given anon and
 *    authenticated every function and sequence created by the restore.
 * Tables are filled before their triggers and foreign keys are created (pg_dump's post-data
 * section), so the audit trigger does not log the restore itself.
 */
export async function restoreSupabaseDump(file: string, databaseUrl: string, step: (message: string) => void): Promise<{ schemaVersion: string; records: number }> {
  const tables = Number((await tool('psql', ['-XtAc', "select count(*) from pg_tables where schemaname = 'public'"], databaseUrl)).trim());
  if (tables > 0) {
    throw new Error(`the database behind SUPABASE_DB_URL already has ${tables} tables in public: restore into a new, empty project (do not run the migrations there first)`);
  }
  step('pg_restore into the empty project (one transaction)');
  const database = libpqEnvironment(databaseUrl).PGDATABASE!;
  const contents = await tool('pg_restore', ['--list', file], databaseUrl);
  const list = contents.split('\n').filter((line) => !/^\d+; \d+ \d+ (SCHEMA - public|COMMENT - SCHEMA public) /.test(line));
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'vinyl-restore-'));
  try {
    const listFile = path.join(tmp, 'contents.list');
    await writeFile(listFile, list.join('\n'));
    await tool('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', '--use-list', listFile, '--dbname', database, file], databaseUrl);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  step('granting the API roles their rights again (app_restrict_functions)');
  // Supabase reloads PostgREST's schema cache on DDL by an event trigger; a plain PostgREST needs the notify.
  const status = await tool('psql', ['-XtAq', '-v', 'ON_ERROR_STOP=1', '-c', 'select app_restrict_functions()', '-c', "notify pgrst, 'reload schema'", '-c', 'select app_status()'], databaseUrl);
  const parsed = JSON.parse(status.split('\n').find((line) => line.startsWith('{'))!) as { schema_version: string; records: number };
  return { schemaVersion: parsed.schema_version, records: parsed.records };
}
