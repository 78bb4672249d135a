import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { supabaseProject, type SupabaseProject } from '../support/databases.ts';
import type { ApiKeys } from '../support/supabase-gateway.ts';

// supabase-js on Node 20 needs a realtime transport even when realtime is never used.
const NoWebSocket = function () {
  throw new Error('realtime is not available in these tests');
};
const client = (url: string, key: string) =>
  createClient(url, key, { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: NoWebSocket as never } });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function gone(pid: number, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return !alive(pid);
}

describe('the Supabase test harness: real PostgREST behind the key-checking gateway', () => {
  let project: SupabaseProject;
  beforeAll(async () => {
    project = await supabaseProject();
  });
  afterAll(async () => project?.close());

  it.each([
    ['the secret key', (keys: ApiKeys) => keys.secret],
    ['the legacy service_role JWT', (keys: ApiKeys) => keys.serviceRole],
  ])('supabase-js with %s calls the functions', async (_kind, pick) => {
    const { data, error } = await client(project.api.url, pick(project.api.keys)).rpc('app_status');
    expect(error).toBeNull();
    expect(data).toEqual({ schema_version: expect.any(String), records: 0 });
  });

  it.each([
    ['the publishable key', (keys: ApiKeys) => keys.publishable],
    ['the legacy anon JWT', (keys: ApiKeys) => keys.anon],
  ])('supabase-js with %s is refused by Postgres itself', async (_kind, pick) => {
    const { data, error } = await client(project.api.url, pick(project.api.keys)).rpc('app_status');
    expect(data).toBeNull();
    expect(error).toMatchObject({ code: '42501', message: 'permission denied for function app_status' });
  });

  it('has one function per name, so PostgREST never has to choose between overloads', async () => {
    const overloaded = await project.sql(`select proname from pg_proc where pronamespace = 'public'::regnamespace group by 1 having count(*) > 1`);
    expect(overloaded).toEqual([]);
  });

  it('runs API calls under authenticator\'s statement_timeout of 8 s, as Supabase does', async () => {
    await project.sql(`set role postgres;
      create function harness_timeout() returns text language sql stable as $$ select current_setting('statement_timeout') $$;
      reset role; select app_restrict_functions()`);
    await project.api.postgrest.reloadSchema(() => project.sql(`notify pgrst, 'reload schema'`));
    const { data } = await client(project.api.url, project.api.keys.secret).rpc('harness_timeout');
    expect(data).toBe('8s');
  });

  it('knows a function created later only after NOTIFY pgrst, reload schema (as migrate() sends)', async () => {
    await project.sql(`set role postgres; create function harness_late() returns int language sql as $$ select 7 $$;
      reset role; select app_restrict_functions()`);
    const supabase = client(project.api.url, project.api.keys.secret);
    expect((await supabase.rpc('harness_late')).error).toMatchObject({ code: 'PGRST202' });
    await project.api.postgrest.reloadSchema(() => project.sql(`notify pgrst, 'reload schema'`));
    expect((await supabase.rpc('harness_late')).data).toBe(7);
  });
});

describe('PostgREST processes', () => {
  it('end with close()', async () => {
    const project = await supabaseProject();
    const { pid } = project.api.postgrest;
    expect(alive(pid)).toBe(true);
    await project.close();
    expect(await gone(pid)).toBe(true);
  });

  it('end when the test process that started them is killed', async () => {
    // A separate Node process starts one and is then killed with SIGKILL: no cleanup code runs.
    const { urlTemplate } = inject('postgres');
    const script = `
      import { startPostgrest } from './test/support/postgrest-server.ts';
      const server = await startPostgrest({ dbUri: process.env.DB_URI, jwtSecret: 'x'.repeat(40) });
      console.log('pid', server.pid, server.socketPath);
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, DB_URI: urlTemplate.replace('DATABASE', 'postgres') },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [pid, socketPath] = await new Promise<[number, string]>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk) => {
        out += chunk;
        const match = /pid (\d+) (\S+)\n/.exec(out);
        if (match) resolve([Number(match[1]), match[2]!]);
      });
      child.once('exit', () => reject(new Error(`the child exited first: ${out}`)));
    });
    expect(alive(pid)).toBe(true);
    child.kill('SIGKILL');
    expect(await gone(pid)).toBe(true);
    await rm(path.dirname(socketPath), { recursive: true, force: true });
  }, 30_000);
});
