import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createAdminRepository } from '../../server/admin/admin-repository.ts';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { createDatabase } from '../../server/db/database.ts';
import { createSupabaseTransport } from '../../server/db/supabase-transport.ts';
import { createDemandRepository } from '../../server/demand/demand-repository.ts';
import { supabaseDatabase, type SupabaseProject, type TestDatabase } from '../support/databases.ts';
import { createProjectDatabase, databaseUrl, dropProjectDatabase, startSupabaseApi, type SupabaseApi } from '../support/supabase-project.ts';
import { startTestApp } from '../support/test-app.ts';

const run = promisify(execFile);

/** Runs an npm script's startup file as its own process, as `npm run` would. */
const cli = (script: string, args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', `server/backup/${script}`, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 240_000 });

/**
 * What a restore must bring back, read as the superuser: every table's rows, every sequence, every
 * function's definition, the rights of each role on tables and functions, triggers and policies.
 */
async function fingerprint(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async <T>(text: string) => (await client.query(text)).rows as T[];
    const tables: Record<string, unknown> = {};
    for (const { t } of await q<{ t: string }>("select tablename as t from pg_tables where schemaname = 'public' order by 1")) {
      [tables[t]] = await q(`select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from public.${t} x`);
    }
    return {
      tables,
      sequences: await q("select sequencename, last_value from pg_sequences where schemaname = 'public' order by 1"),
      functions: await q(
        `select p.oid::regprocedure::text as name, md5(pg_get_functiondef(p.oid)) as def, p.prosecdef, p.proacl::text as acl
           from pg_proc p where p.pronamespace = 'public'::regnamespace and p.prokind in ('f', 'p') order by 1`,
      ),
      rights: await q("select relname, relkind, relrowsecurity, relacl::text as acl from pg_class where relnamespace = 'public'::regnamespace order by 1"),
      triggers: await q("select tgrelid::regclass::text as t, tgname, tgenabled from pg_trigger where not tgisinternal order by 1, 2"),
      policies: await q('select tablename, policyname, roles::text, cmd, qual from pg_policies order by 1, 2'),
    };
  } finally {
    await client.end();
  }
}

describe('a Supabase dump restored into a new project', { timeout: 400_000 }, () => {
  const { template: _template, ...cluster } = inject('postgres');
  let source: TestDatabase & { project: SupabaseProject };
  let target: string;
  let targetApi: SupabaseApi | undefined;
  let tmp: string;

  beforeAll(async () => {
    source = await supabaseDatabase();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'vinyl-pgrestore-'));
    // A new project: roles and extensions as Supabase creates them, no migrations.
    target = `t_restore_${randomBytes(4).toString('hex')}`;
    await createProjectDatabase(cluster, target);
  });
  afterAll(async () => {
    await targetApi?.close();
    await source?.close();
    if (target) await dropProjectDatabase(cluster, target);
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('npm run backup then npm run restore as the project’s postgres role loses nothing, and the server works on it', async () => {
    // Records, a customer waiting for one, its arrival (offers), each change in the audit trail.
    const catalog = createCatalogRepository(source.db);
    await catalog.importRecords([
      { title: 'Animals', artist: 'Pink Floyd', genre: 'Rock', condition: 'NM', price: 3000, status: 'available', description: 'Многострочное\nописание' },
      { title: 'Kind of Blue', artist: 'Miles Davis', genre: 'Jazz', condition: 'VG+', price: 4000, status: 'procurement' },
    ]);
    const id = (await source.sql<{ id: string }>("select id from records where title = 'Kind of Blue'"))[0]!.id;
    const interest = await createDemandRepository(source.db).register(id, { key: 'tg:101', verified: true, chatId: 101, contact: '@u101', source: 'telegram' });
    expect(interest).toMatchObject({ record_id: id });
    await createAdminRepository(source.db, 'api').setStatus(id, { status: 'available', trigger_notifications: true });
    const [counts] = await source.sql<{ offers: number; changes: number; participants: number }>(
      'select (select count(*)::int from offers) as offers, (select count(*)::int from record_changes) as changes, (select count(*)::int from record_participants) as participants',
    );
    expect(counts).toMatchObject({ offers: 1, participants: 1 });
    expect(counts!.changes).toBeGreaterThan(2);

    // The URLs a Supabase owner has: the project's `postgres` role, not a superuser.
    const out = path.join(tmp, 'out');
    const api = { SUPABASE_URL: source.project.api.url, SUPABASE_SECRET_KEY: source.project.api.keys.secret };
    const backup = await cli('backup-cli.ts', ['--out', out], { ...api, SUPABASE_DB_URL: databaseUrl(cluster, source.project.database, 'postgres') });
    const file = backup.stdout.trim();
    expect(file).toMatch(/\.dump$/);

    const restoreEnv = { ...api, SUPABASE_DB_URL: databaseUrl(cluster, target, 'postgres') };
    const restore = await cli('restore-cli.ts', [file], restoreEnv);
    expect(restore.stderr).toMatch(/restored: schema \d+, 2 records/);

    const before = await fingerprint(databaseUrl(cluster, source.project.database));
    const after = await fingerprint(databaseUrl(cluster, target));
    expect(Object.keys(after.tables).length).toBeGreaterThan(20);
    expect(after.tables).toEqual(before.tables);
    expect(after.sequences).toEqual(before.sequences);
    expect(after.functions).toEqual(before.functions);
    expect(after.rights).toEqual(before.rights);
    expect(after.triggers).toEqual(before.triggers);
    expect(after.policies).toEqual(before.policies);

    // A restore never goes over existing data.
    await expect(cli('restore-cli.ts', [file], restoreEnv)).rejects.toMatchObject({ stderr: expect.stringContaining('already has') });

    // The server on the restored project, through its own PostgREST and gateway.
    targetApi = await startSupabaseApi(cluster, target);
    const db = createDatabase(createSupabaseTransport({ url: targetApi.url, serviceRoleKey: targetApi.keys.secret }));
    const app = await startTestApp(db, { AI_CONCURRENCY: '0' });
    try {
      const found = await fetch(`${app.url}/api/records?search=${encodeURIComponent('kind of blue')}`);
      expect(found.status).toBe(200);
      const page = (await found.json()) as { records: Array<{ title: string; status: string }> };
      expect(page.records[0]).toMatchObject({ title: 'Kind of Blue', status: 'available' });
    } finally {
      await app.close();
    }
    // The rights were granted again, not left open: the secret key may call a function, the publishable key may not.
    const call = (key: string) =>
      fetch(`${targetApi!.url}/rest/v1/rpc/app_status`, { method: 'POST', headers: { apikey: key, authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' });
    expect((await call(targetApi.keys.secret)).status).toBe(200);
    expect([401, 403, 404]).toContain((await call(targetApi.keys.publishable)).status);
  });
});
