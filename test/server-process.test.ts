import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockPathOf } from '../server/db/data-dir-lock.ts';
import { freePort } from './support/free-port.ts';
import { health, killStartedServers, startServer } from './support/server-process.ts';

describe('the server process on its data directory', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'vinyl-data-'));
  });
  afterAll(async () => {
    killStartedServers();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts with nothing configured, refuses a second owner, stops cleanly and keeps its data', async () => {
    const port = await freePort();
    const first = startServer(dataDir, port);
    const before = await health(port, first.child);
    expect(before.database.records).toBeGreaterThanOrEqual(30);
    expect(first.output()).toMatch(/telegram is off: set TELEGRAM_BOT_TOKEN/);

    const second = startServer(dataDir, await freePort());
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(path.resolve(dataDir));
    expect((await health(port, first.child)).database.records).toBe(before.database.records);

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(existsSync(lockPathOf(dataDir))).toBe(false);

    const again = startServer(dataDir, port);
    expect((await health(port, again.child)).database).toEqual(before.database);
    expect(again.output()).not.toMatch(/loaded \d+ demo records/);
    // A killed server leaves its lock behind; the next start takes it over once it has gone stale.
    again.child.kill('SIGKILL');
    await again.exited;
    const afterKill = startServer(dataDir, port);
    expect((await health(port, afterKill.child)).database.records).toBe(before.database.records);
    afterKill.child.kill('SIGTERM');
    expect(await afterKill.exited).toBe(0);
  }, 600_000);
});
