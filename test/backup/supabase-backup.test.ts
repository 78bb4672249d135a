import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { supabaseDatabase, type TestDatabase, type SupabaseProject } from '../support/databases.ts';
import { databaseUrl } from '../support/supabase-project.ts';

const run = promisify(execFile);

describe('npm run backup on Supabase', { timeout: 300_000 }, () => {
  let database: TestDatabase & { project: SupabaseProject };
  let tmp: string;
  beforeAll(async () => {
    database = await supabaseDatabase();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'vinyl-pgdump-'));
    await createCatalogRepository(database.db).importRecords([{ title: 'Animals', artist: 'Pink Floyd', status: 'search_request' }]);
  });
  afterAll(async () => {
    await database?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('writes a pg_dump archive of the project through SUPABASE_DB_URL, with the data and the functions', async () => {
    const { template: _template, ...cluster } = inject('postgres');
    const env = {
      ...process.env,
      LOG_LEVEL: 'silent',
      SUPABASE_URL: database.project.api.url,
      SUPABASE_SECRET_KEY: database.project.api.keys.secret,
      SUPABASE_DB_URL: databaseUrl(cluster, database.project.database),
    };
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'server/backup/backup-cli.ts', '--out', tmp], { env, timeout: 240_000 });
    const file = stdout.trim();
    expect(file).toMatch(/vinyl-\d{8}-\d{6}\.dump$/);
    expect(stderr).toContain('dumping contents of table "public.records"');
    const { stdout: contents } = await run('pg_restore', ['--list', file]);
    expect(contents).toMatch(/TABLE DATA public records /);
    expect(contents).toMatch(/TABLE DATA public record_changes /);
    expect(contents).toMatch(/FUNCTION public catalog_search\(/);
  });
});
