// A throwaway PostgreSQL server for tests and benchmarks: initdb into a temp
// directory, start on a free loopback port, tear everything down on stop().
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.ts';

const run = promisify(execFile);

export interface PostgresCluster {
  host: '127.0.0.1';
  port: number;
  /** Defaults to the `postgres` database, as the bootstrap superuser. */
  connectionString(database?: string, user?: string): string;
  /** `template` must have no open connections (PostgreSQL refuses to copy a database in use). */
  createDatabase(name: string, template?: string): Promise<void>;
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  log?: (line: string) => void;
  /** The bootstrap superuser's name (initdb -U); Supabase-like clusters use `supabase_admin`. */
  superuser?: string;
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function findBinDir(): Promise<string> {
  const root = '/usr/lib/postgresql';
  const hasInitdb = (dir: string) => existsSync(path.join(dir, 'initdb'));
  if (hasInitdb(`${root}/15/bin`)) return `${root}/15/bin`;
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => /^\d+$/.test(v) && hasInitdb(`${root}/${v}/bin`)).sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] !== undefined) return `${root}/${versions[0]}/bin`;
  try {
    const { stdout } = await run('pg_config', ['--bindir']);
    if (hasInitdb(stdout.trim())) return stdout.trim();
  } catch {
    // pg_config missing: fall through to the install hint
  }
  throw new Error('PostgreSQL server binaries not found; install them with `apt-get install -y postgresql`');
}

// One shared 'exit' listener (not one per cluster) so many clusters do not trip MaxListeners.
const exitHooks = new Set<() => void>();
let exitListenerInstalled = false;
function onProcessExit(hook: () => void): () => void {
  if (!exitListenerInstalled) {
    exitListenerInstalled = true;
    process.on('exit', () => exitHooks.forEach((h) => h()));
  }
  exitHooks.add(hook);
  return () => exitHooks.delete(hook);
}

function describeFailure(err: unknown): string {
  const e = err as { message?: string; stderr?: string; stdout?: string };
  // execFile's message already embeds stderr after its first line; keep that line only.
  return [e.message?.split('\n')[0], e.stderr, e.stdout].filter((s) => s && s.trim()).join('\n');
}

export async function startPostgresCluster(opts: StartOptions = {}): Promise<PostgresCluster> {
  const log = opts.log ?? (() => {});
  const superuser = opts.superuser ?? 'postgres';
  const bin = await findBinDir();
  // initdb and postgres refuse to run as root, so as root everything runs as the `postgres` user.
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pg-cluster-'));
  const dataDir = path.join(dir, 'data');
  const socketDir = path.join(dir, 'sock');
  const logFile = path.join(dir, 'server.log');

  const pgRun = (tool: string, args: string[]) => {
    const [file, argv]: [string, string[]] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]]
      : [path.join(bin, tool), args];
    log(`$ ${tool} ${args.join(' ')}`);
    // cwd inside our dir: as `postgres` the caller's cwd may be unreadable.
    return run(file, argv, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
  };
  const logTail = async () => {
    const text = await readFile(logFile, 'utf8').catch(() => '');
    return text.split('\n').slice(-30).join('\n');
  };

  // If the test process dies without calling stop(), do not leave a postmaster behind.
  const removeExitHook = onProcessExit(() => {
    try {
      const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort only
    }
  });
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      removeExitHook();
      if (existsSync(path.join(dataDir, 'postmaster.pid'))) {
        await pgRun('pg_ctl', ['-D', dataDir, 'stop', '-m', 'immediate', '-w']).catch((err) => log(describeFailure(err)));
      }
      await rm(dir, { recursive: true, force: true });
    })());

  try {
    await mkdir(socketDir);
    if (asRoot) await run('chown', ['-R', 'postgres:postgres', dir]);
    const initdb = (locale: string) =>
      pgRun('initdb', ['-D', dataDir, '-A', 'trust', '-U', superuser, '-E', 'UTF8', `--locale=${locale}`]);
    try {
      await initdb('C.UTF-8');
    } catch (err) {
      log(`initdb with C.UTF-8 failed, retrying with C: ${describeFailure(err)}`);
      await rm(dataDir, { recursive: true, force: true });
      await initdb('C').catch((err2) => {
        throw new Error(`initdb failed:\n${describeFailure(err2)}`);
      });
    }

    let port = 0;
    // A port found free can be taken before postgres binds it; a fresh one usually works.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const serverOpts = [
        `-p ${port}`,
        `-k ${socketDir}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=300',
      ].join(' ');
      try {
        await pgRun('pg_ctl', ['-D', dataDir, '-o', serverOpts, '-l', logFile, '-w', '-t', '60', 'start']);
        break;
      } catch (err) {
        if (attempt >= 3) throw new Error(`pg_ctl start failed:\n${describeFailure(err)}\n--- server log tail ---\n${await logTail()}`);
        log(`pg_ctl start failed on port ${port}, retrying: ${describeFailure(err)}`);
      }
    }
    log(`postgres ready on 127.0.0.1:${port} (data in ${dataDir})`);

    const connectionString = (database = 'postgres', user = superuser) =>
      `postgresql://${encodeURIComponent(user)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: connectionString() });
      await client.connect();
      try {
        await client.query(sql);
      } finally {
        await client.end();
      }
    };

    return {
      host: '127.0.0.1',
      port,
      connectionString,
      createDatabase: (name, template) =>
        admin(`CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ''}`),
      // FORCE: tests often still hold pooled connections to the database they drop.
      dropDatabase: (name) => admin(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
