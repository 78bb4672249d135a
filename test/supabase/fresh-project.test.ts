import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/open-database.ts';
import { supabaseProject, type SupabaseProject } from '../support/databases.ts';
import { freePort } from '../support/free-port.ts';
import { createApiKeys } from '../support/supabase-gateway.ts';

const adminToken = 'fresh-project-admin-token-0123456789';

/** `npm start`'s command against the project, with only the Supabase variables set. */
function startServer(env: Record<string, string>, port: number, dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, DATA_DIR: dataDir, API_PORT: String(port), API_HOST: '127.0.0.1', ADMIN_API_TOKEN: adminToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    output: () => output,
    async health() {
      for (let i = 0; i < 300; i++) {
        if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
        try {
          const response = await fetch(`${url}/health`);
          return { status: response.status, body: (await response.json()) as any };
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
      throw new Error(`no /health answer:\n${output}`);
    },
    /** Stops it once it has said it started (main.ts handles SIGTERM from then on). */
    async stop() {
      for (let i = 0; i < 300 && !/listening on http/.test(output) && child.exitCode === null; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      child.kill('SIGTERM');
      return exited;
    },
  };
}

describe('the server on a Supabase project created today', () => {
  let project: SupabaseProject;
  let dataDir: string;
  beforeAll(async () => {
    project = await supabaseProject({ fresh: {} });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'vinyl-supabase-'));
  });
  afterAll(async () => {
    await project?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const openingFails = async (serviceRoleKey: string, url = project.api.url) => {
    const db = await openDatabase({ kind: 'supabase', url, serviceRoleKey }, () => {}).catch((error: Error) => error);
    if (!(db instanceof Error)) throw new Error('the database opened');
    return db.message;
  };

  it('says "apply the migrations" while they are not applied', async () => {
    expect(await openingFails(project.api.keys.secret)).toMatch(/has no app_status\(\) \(PGRST202: .*apply the migrations first/);
  });

  it('says the grants are missing on a project migrated before 20261201000100, not "apply the migrations"', async () => {
    await project.api.migrate({ until: '20261121003001' });
    const message = await openingFails(project.api.keys.secret);
    expect(message).toMatch(/refused the service role \(42501: permission denied for table app_schema_versions\)/);
    expect(message).toMatch(/apply migration 20261201000100_api_roles\.sql/);
  });

  it('names the migration it needs on a project that has only some of them', async () => {
    await project.api.migrate({ until: '20261201001000' });
    const message = await openingFails(project.api.keys.secret);
    expect(message).toMatch(/is at migration 20261201001000, but this server needs \d{14}_\w+\.sql: apply the migrations/);
  });

  it('says the key is wrong for another project\'s key, and the URL when nothing answers there', async () => {
    await project.api.migrate();
    const stranger = createApiKeys();
    for (const key of [stranger.secret, stranger.serviceRole]) {
      expect(await openingFails(key)).toMatch(/refused the API key \(http_401: Invalid API key\): .*secret key \(sb_secret_…\)/);
    }
    // This project's publishable key, which the config refuses: should one get through, the
    // message still points at the key once the grants are in place.
    expect(await openingFails(project.api.keys.publishable)).toMatch(
      /\(42501: permission denied for function app_status\).*If it is applied, the key is not the service one/,
    );
    const nobody = `http://127.0.0.1:${await freePort()}`;
    expect(await openingFails(project.api.keys.secret, nobody)).toMatch(/cannot be reached .*check SUPABASE_URL/);
  });

  it.each([
    ['SUPABASE_SECRET_KEY', 'the secret key', () => project.api.keys.secret, ['Daydream Nation', 'Sonic Youth']],
    ['SUPABASE_SERVICE_ROLE_KEY', 'the legacy service_role JWT', () => project.api.keys.serviceRole, ['Unknown Pleasures', 'Joy Division']],
  ])('starts with %s set to %s, loads no demo records, and reads and writes', async (variable, _kind, key, [title, artist]) => {
    const server = startServer({ SUPABASE_URL: project.api.url, [variable]: key() }, await freePort(), dataDir);
    try {
      const health = await server.health();
      expect(health.body.database).toMatchObject({ reachable: true, kind: 'supabase', schema_version: expect.stringMatching(/^2026/) });
      expect(server.output()).not.toMatch(/loaded \d+ demo records/);
      expect(server.output()).toMatch(/no demo catalog on Supabase/);
      const [before] = await project.sql<{ n: number }>('select count(*)::int as n from records');

      const created = await fetch(`${server.url}/api/search-requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title, artist, contact: 'fan@example.com' }),
      });
      // Unverified interest is kept for the admin without a public record (docs/demand-and-offers.md).
      expect(created.status).toBe(202);
      const notifications = await fetch(`${server.url}/api/admin/notifications`, { headers: { authorization: `Bearer ${adminToken}` } });
      expect(notifications.status).toBe(200);
      expect(((await notifications.json()) as any).unverified_titles.map((t: { title: string }) => t.title)).toContain(title);
      const [after] = await project.sql<{ n: number }>('select count(*)::int as n from records');
      expect(after!.n).toBe(before!.n);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.output()).not.toContain(key());
  }, 60_000);
});
