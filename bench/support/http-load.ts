import { execFile, execFileSync } from 'node:child_process';
import http from 'node:http';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const autocannonBin = path.resolve('node_modules/.bin/autocannon');

/**
 * Requests per second a URL sustains, measured by autocannon in its own process so the load
 * generator does not share the server's event loop. `cpuUsPerRequest` is the server's CPU time
 * (user + system) per request served: this process's, or what `serverCpu` reports for a server
 * in another process.
 */
export async function measureRps(
  url: string,
  options: { connections: number; seconds: number; headers: Record<string, string>; cpu?: number; rate?: number },
  serverCpu: () => Promise<NodeJS.CpuUsage> = async () => process.cpuUsage(),
) {
  const cpuBefore = await serverCpu();
  const headerArgs = Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const args = ['-c', String(options.connections), '-d', String(options.seconds), ...(options.rate ? ['-R', String(options.rate)] : []), '--json', ...headerArgs, url];
  // On a core of its own when asked (see pinToCore): the load generator then never takes the
  // server's core, nor the server autocannon's.
  const [command, argv] = options.cpu === undefined ? [autocannonBin, args] : ['taskset', ['-c', String(options.cpu), autocannonBin, ...args]];
  const { stdout } = await run(command, argv, { maxBuffer: 64 * 1024 * 1024 });
  const cpuAfter = await serverCpu();
  const cpu = { user: cpuAfter.user - cpuBefore.user, system: cpuAfter.system - cpuBefore.system };
  const result = JSON.parse(stdout) as { requests: { average: number; total: number }; non2xx: number; errors: number; latency: { p50: number } };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`load on ${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50Ms: result.latency.p50, cpuUsPerRequest: (cpu.user + cpu.system) / Math.max(1, result.requests.total) };
}

/**
 * Pins a process (this one unless told; every thread) to one core, for throughput comparisons: with the server on
 * one core and autocannon on the other, neither steals the other's time. Returns false where
 * taskset is missing or the machine has one core.
 */
export function pinToCore(cpu: number, pid = process.pid): boolean {
  if (availableParallelism() < 2) return false;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A response exactly as it went over the wire (fetch would decompress the body): what a bare
 * route must answer to be the ceiling for the same bytes.
 */
export function wireResponse(url: string, headers: Record<string, string>): Promise<{ body: Buffer; headers: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`${url}: HTTP ${response.statusCode}`));
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const kept = ['content-type', 'content-encoding', 'etag', 'vary', 'cache-control'].flatMap((h) => {
            const value = response.headers[h];
            return typeof value === 'string' ? [[h, value]] : [];
          });
          resolve({ body: Buffer.concat(chunks), headers: Object.fromEntries(kept) });
        });
      })
      .on('error', reject);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Progress for long CLI steps, on stderr so stdout's last line stays the JSON result. */
export function progress(message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
