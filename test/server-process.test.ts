import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.ts';

/** The real entry point as a process: npm start's command with its own DATA_DIR and port. */
function startServer(dataDir: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATA_DIR: dataDir, API_PORT: String(port), API_HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}


async function health(port: number, child: ChildProcess) {
  // Generous: a first start on a busy machine runs initdb and every migration before listening.
  for (let i = 0; i < 900; i++) {
    if (child.exitCode !== null) throw new Error('server exited before answering /health');
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.ok) return (await response.json()) as { database: { records: number; schema_version: string } };
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('no /health answer');
}

describe('the server process on its data directory', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'vinyl-data-'));
  });
  afterAll(async () => {
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
    expect(existsSync(path.join(dataDir, 'server.lock'))).toBe(false);

    const again = startServer(dataDir, port);
    expect((await health(port, again.child)).database).toEqual(before.database);
    expect(again.output()).not.toMatch(/loaded \d+ demo records/);
    // A killed server leaves its lock behind; the next start takes it over at once.
    again.child.kill('SIGKILL');
    await again.exited;
    const afterKill = startServer(dataDir, port);
    expect((await health(port, afterKill.child)).database.records).toBe(before.database.records);
    afterKill.child.kill('SIGTERM');
    expect(await afterKill.exited).toBe(0);
  }, 300_000);
});
