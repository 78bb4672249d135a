import { spawn, type ChildProcess } from 'node:child_process';

/**
 * The real entry point as a process (npm start's command) with its own DATA_DIR and port.
 * `wrap` runs it under another command (unshare), the server's command appended; `command`
 * replaces it (npm start).
 */
export function startServer(dataDir: string, port: number, options: { wrap?: string[]; command?: string[]; env?: Record<string, string> } = {}) {
  const server = options.command ?? [process.execPath, '--import', 'tsx', 'server/main.ts'];
  const [command, ...args] = [...(options.wrap ?? []), ...server];
  const child = spawn(command!, args, {
    env: { ...process.env, DATA_DIR: dataDir, API_PORT: String(port), API_HOST: '127.0.0.1', LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  started.add(child);
  void exited.then(() => started.delete(child));
  return { child, exited, output: () => output };
}

const started = new Set<ChildProcess>();

/** Kills (SIGKILL) every server process a test started and has not seen exit: for afterAll. */
export function killStartedServers(): void {
  for (const child of started) child.kill('SIGKILL');
}

/** Waits for the server's /health to answer 200 and returns it. */
export async function health(port: number, child: ChildProcess) {
  // Generous: a first start on a busy machine runs initdb and every migration before listening.
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
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
