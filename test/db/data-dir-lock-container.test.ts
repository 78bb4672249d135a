import { spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { health, killStartedServers, startServer } from '../support/server-process.ts';

/**
 * A container restarted after kill -9 or an OOM kill: the new server is PID 1 again, like the
 * dead one that left its lock, and the container's hostname is new. Each server here runs in
 * PID and UTS namespaces of its own (unshare, as root: CI and these machines), so it really is
 * PID 1 on another hostname; --kill-child makes a SIGKILL to unshare kill the server too.
 */
const canUnshare = spawnSync('unshare', ['--fork', '--pid', '--uts', 'true']).status === 0;

function startInContainer(dataDir: string, port: number, hostname: string) {
  // `exec` keeps the shell's PID, so the echoed $$ is the server's PID in its namespace.
  return startServer(dataDir, port, {
    wrap: ['unshare', '--fork', '--pid', '--uts', '--kill-child', 'sh', '-c', `echo "pid in container: $$"; hostname ${hostname}; exec "$@"`, 'sh'],
  });
}

/** unshare ignores SIGTERM while it waits: the signal goes to the server it forked. */
function terminateInContainer(unshare: ChildProcess) {
  const server = Number(readFileSync(`/proc/${unshare.pid}/task/${unshare.pid}/children`, 'utf8').trim().split(/\s+/)[0]);
  process.kill(server, 'SIGTERM');
}

describe.skipIf(!canUnshare)('the data directory lock in a restarted container', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'vinyl-container-'));
  });
  afterAll(async () => {
    killStartedServers();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('a new server with the dead one’s PID on another hostname takes the directory over; a live one never shares it', async () => {
    const port = await freePort();
    const first = startInContainer(dataDir, port, 'vinyl-a');
    const before = await health(port, first.child);
    expect(first.output()).toContain('pid in container: 1');

    // While the first lives, a second container (also PID 1, another hostname) is refused.
    const rival = startInContainer(dataDir, await freePort(), 'vinyl-b');
    expect(await rival.exited).toBe(1);
    expect(rival.output()).toContain('pid in container: 1');
    expect(rival.output()).toContain(`${path.resolve(dataDir)} is in use by another server`);
    expect((await health(port, first.child)).database.records).toBe(before.database.records);

    first.child.kill('SIGKILL');
    await first.exited;
    const restarted = startInContainer(dataDir, port, 'vinyl-c');
    expect((await health(port, restarted.child)).database).toEqual(before.database);
    expect(restarted.output()).toContain('pid in container: 1');
    terminateInContainer(restarted.child);
    expect(await restarted.exited).toBe(0);
  }, 600_000);
});
