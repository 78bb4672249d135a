import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { PGlite } from '@electric-sql/pglite';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createBackupTask } from '../../server/backup/backup-task.ts';
import { listBackups } from '../../server/backup/embedded-backup.ts';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { openDatabase } from '../../server/db/open-database.ts';
import { openPglite } from '../../server/db/pglite-transport.ts';
import { createLogger } from '../../server/logger.ts';
import { pgliteDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const run = promisify(execFile);
const adminToken = 'admin-token-0123456789-abcdef';

/** Runs one of the npm scripts' startup files as its own process, as `npm run` would. */
const cli = (script: string, args: string[], env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', `server/backup/${script}`, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env }, timeout: 120_000 });

/** Every table's rows and every sequence's position: equal fingerprints, nothing lost. */
async function fingerprint(dataDir: string) {
  const pg: PGlite = await openPglite({ dataDir: path.join(dataDir, 'pglite') });
  try {
    const tables = (await pg.query<{ t: string }>("select tablename as t from pg_tables where schemaname = 'public' order by 1")).rows;
    const result: Record<string, unknown> = {};
    for (const { t } of tables) {
      const { rows } = await pg.query(`select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from public.${t} x`);
      result[t] = rows[0];
    }
    const sequences = (await pg.query<{ sequencename: string; last_value: number | null }>("select sequencename, last_value::int from pg_sequences where schemaname = 'public' order by 1")).rows;
    return { tables: result, sequences: Object.fromEntries(sequences.map((q) => [q.sequencename, q.last_value ?? 0])) };
  } finally {
    await pg.close();
  }
}

// Each step opens a database or runs a process; on a busy machine that takes a while.
describe('backup and restore of the embedded database', { timeout: 300_000 }, () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'vinyl-backup-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  /** A data directory with records, a customer's request, a status change and their audit trail. */
  async function filledDataDir(name: string) {
    const dataDir = path.join(tmp, name);
    // A copy of the migrated template in the directory: opening it then has nothing to migrate.
    await mkdir(dataDir, { recursive: true });
    const template = await openPglite({ template: new Blob([await readFile(inject('pgliteTemplateFile'))]), dataDir: path.join(dataDir, 'pglite') });
    await template.close();
    const db = await openDatabase({ kind: 'pglite', dataDir }, () => {});
    await createCatalogRepository(db).importRecords([
      { title: 'Animals', artist: 'Pink Floyd', genre: 'Rock', condition: 'NM', price: 3000, status: 'available', description: 'Многострочное\nописание' },
      { title: 'Группа крови', artist: 'Кино', status: 'search_request' },
    ]);
    const api = await startTestApp(db, { ADMIN_API_TOKEN: adminToken, AI_CONCURRENCY: '0' });
    const asked = await fetch(`${api.url}/api/search-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Группа крови', artist: 'Кино', contact: '@fan' }),
    });
    // Unverified interest: kept for the admin (record_participants), the record itself is untouched.
    expect(asked.status).toBe(200);
    const { record_id } = (await asked.json()) as { record_id: string };
    const changed = await fetch(`${api.url}/api/admin/records/${record_id}/status`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'procurement' }),
    });
    expect(changed.status).toBe(200);
    return { dataDir, db, api };
  }

  it('npm run backup then npm run restore into an empty directory loses nothing', async () => {
    const { dataDir, db, api } = await filledDataDir('stopped');
    await api.close();
    await db.close();
    const out = path.join(tmp, 'out-stopped');
    const backup = await cli('backup-cli.ts', ['--out', out], { DATA_DIR: dataDir });
    const file = backup.stdout.trim();
    expect(file).toMatch(/vinyl-\d{8}-\d{6}\.tar\.gz$/);
    expect(backup.stderr).toContain('dumping the database');

    const restored = path.join(tmp, 'restored-stopped');
    const restore = await cli('restore-cli.ts', [file], { DATA_DIR: restored });
    expect(restore.stderr).toMatch(/restored: schema \d+, 2 records/);
    const before = await fingerprint(dataDir);
    expect((before.tables.records as { n: number }).n).toBe(2);
    expect((before.tables.record_changes as { n: number }).n).toBeGreaterThan(2);
    expect(await fingerprint(restored)).toEqual(before);

    // A restore never overwrites data.
    const again = cli('restore-cli.ts', [file], { DATA_DIR: restored });
    await expect(again).rejects.toMatchObject({ stderr: expect.stringContaining('is not empty') });
  });

  it('while the server runs, npm run backup asks it for the backup', async () => {
    const { dataDir, db, api } = await filledDataDir('running');
    const serverBackups = path.join(tmp, 'out-running');
    // The running test server writes into its BACKUP_DIR: the default ("backups") relative to the cwd would do too.
    const port = new URL(api.url).port;
    const env = { DATA_DIR: dataDir, API_PORT: port, API_HOST: '127.0.0.1', ADMIN_API_TOKEN: adminToken };
    await api.close();
    const running = await startTestApp(db, { ADMIN_API_TOKEN: adminToken, AI_CONCURRENCY: '0', BACKUP_DIR: serverBackups, BACKUP_INTERVAL_HOURS: '24' }, { port: Number(port) });
    try {
      const backup = await cli('backup-cli.ts', [], env);
      expect(backup.stderr).toContain('holds the data directory');
      const file = backup.stdout.trim();
      expect(path.dirname(file)).toBe(path.resolve(serverBackups));
      const withoutToken = cli('backup-cli.ts', [], { ...env, ADMIN_API_TOKEN: '' });
      await expect(withoutToken).rejects.toMatchObject({ stderr: expect.stringContaining('ADMIN_API_TOKEN is not set') });
      await running.close();
      await db.close();
      const restored = path.join(tmp, 'restored-running');
      await cli('restore-cli.ts', [file], { DATA_DIR: restored });
      const [after, before] = [await fingerprint(restored), await fingerprint(dataDir)];
      expect(after.tables).toEqual(before.tables);
      // A copy of a running database comes back through crash recovery, where PostgreSQL moves
      // sequences past the values it pre-logged (up to 32 ahead): new ids leave a gap, none repeats.
      for (const [name, value] of Object.entries(before.sequences)) expect(after.sequences[name], name).toBeGreaterThanOrEqual(value);
    } finally {
      await running.close().catch(() => {});
    }
  });

  it('the periodic backup keeps the newest BACKUP_KEEP files', async () => {
    const database = await pgliteDatabase();
    const dir = path.join(tmp, 'periodic');
    // One backup a second, so the test sees a few.
    const task = createBackupTask({ db: database.db, dir, keep: 2, intervalHours: 1 / 3600, logger: createLogger('silent') });
    const controller = new AbortController();
    let successes = 0;
    const running = task.run({ signal: controller.signal, succeeded: () => successes++ });
    try {
      await expect.poll(() => successes, { timeout: 200_000, interval: 200 }).toBeGreaterThanOrEqual(3);
    } finally {
      controller.abort();
      await running;
      await database.close();
    }
    const files = await listBackups(dir);
    expect(files).toHaveLength(2);
    expect((await readdir(dir)).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });
});
