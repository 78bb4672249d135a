import { fork, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The API server in a process of its own, on a PGlite database folder of its own,
 * with metrics on or off: bench:api compares two of these so that each has its own heap, JIT
 * and process-wide collectors (prom-client's default metrics watch the whole process's GC and
 * event loop), as two deployed servers would. Run as a script, this file is the child.
 */
export interface ApiServerProcess {
  base: string;
  pid: number;
  /** The child's own CPU time so far (process.cpuUsage, microseconds). */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  close(): Promise<void>;
}

export async function startApiServerProcess(options: { dataDir: string; metrics: boolean }): Promise<ApiServerProcess> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_DATA_DIR: options.dataDir, BENCH_METRICS: options.metrics ? 'on' : 'off' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T>(type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: { type: string; value: T }) => {
        if (message.type !== type) return;
        child.off('exit', onExit);
        child.off('message', onMessage);
        resolve(message.value);
      };
      const onExit = (code: number | null) => reject(new Error(`bench server (metrics ${options.metrics ? 'on' : 'off'}) exited with ${code}`));
      child.on('message', onMessage);
      child.once('exit', onExit);
      if (type !== 'listening') child.send({ type });
    });
  const port = await ask<number>('listening');
  return {
    base: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    cpuUsage: () => ask<NodeJS.CpuUsage>('cpu'),
    close: () => stop(child),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

if (process.env.BENCH_DATA_DIR && process.send) {
  const { parseConfig } = await import('../../server/config.ts');
  const { createServer } = await import('../../server/create-server.ts');
  const { createDatabase } = await import('../../server/db/database.ts');
  const { createPgliteTransport, openPglite } = await import('../../server/db/pglite-transport.ts');
  const { createLogger } = await import('../../server/logger.ts');
  const pg = await openPglite({ dataDir: process.env.BENCH_DATA_DIR });
  const db = createDatabase(createPgliteTransport(pg));
  const config = parseConfig({ DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' });
  const metrics = process.env.BENCH_METRICS === 'on';
  const { app } = createServer({ config: { ...config, metrics: { enabled: metrics, token: null } }, db, logger: createLogger('silent') });
  const server = app.listen(0, '127.0.0.1', () => process.send!({ type: 'listening', value: (server.address() as AddressInfo).port }));
  process.on('message', (message: { type: string }) => {
    if (message.type === 'cpu') process.send!({ type: 'cpu', value: process.cpuUsage() });
  });
  process.on('SIGTERM', () => server.close(() => void db.close().finally(() => process.exit(0))));
  process.on('disconnect', () => process.exit(0));
}
