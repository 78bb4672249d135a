import { spawn } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, parseConfig, type Config } from '../config.ts';
import { isDataDirLocked, lockDataDir } from '../db/data-dir-lock.ts';
import { openPglite } from '../db/pglite-transport.ts';
import { createProgress } from './cli-progress.ts';
import { libpqEnvironment } from './libpq-environment.ts';
import { backupFileName, pruneBackups, writeBackup } from './embedded-backup.ts';

/**
 * npm run backup [-- --out DIR]: the startup file of the backup command.
 *  - Embedded database, server stopped: opens DATA_DIR itself and writes a consistent copy.
 *  - Embedded database, server running (it holds DATA_DIR): asks that server for the backup
 *    (POST /api/admin/backup with ADMIN_API_TOKEN); the file is in the server's BACKUP_DIR.
 *  - Supabase: pg_dump in its custom format through SUPABASE_DB_URL (restore with pg_restore).
 * Prints the backup's path on stdout, progress on stderr.
 */
const progress = createProgress();

async function backupEmbedded(config: Config, outDir: string): Promise<string> {
  // A running server holds the directory (its lock's heartbeat is fresh): it makes the dump.
  if (await isDataDirLocked(config.dataDir)) return backupThroughServer(config);
  const lock = await lockDataDir(config.dataDir);
  try {
    progress.step(`opening ${path.resolve(config.dataDir)}`);
    const pg = await openPglite({ dataDir: path.join(config.dataDir, 'pglite') });
    try {
      progress.step('dumping the database');
      const dump = await pg.dumpDataDir('gzip');
      progress.step(`writing ${progress.size(dump.size)}`);
      const written = await writeBackup(dump, outDir);
      const pruned = await pruneBackups(outDir, config.backup.keep);
      if (pruned.length > 0) progress.step(`removed ${pruned.length} old backup(s), keeping ${config.backup.keep} (BACKUP_KEEP)`);
      return written.file;
    } finally {
      await pg.close();
    }
  } finally {
    await lock.release();
  }
}

async function backupThroughServer(config: Config): Promise<string> {
  progress.step('a running server holds the data directory: asking it for the backup');
  if (!config.adminApiToken) throw new Error('The server is running and ADMIN_API_TOKEN is not set: set it (the same as the server) or stop the server first.');
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
  const response = await fetch(`http://${host}:${config.http.port}/api/admin/backup`, {
    method: 'POST',
    headers: { authorization: `Bearer ${config.adminApiToken}` },
  });
  const body = (await response.json().catch(() => ({}))) as { file?: string; bytes?: number; error?: string };
  if (response.status !== 201 || !body.file) throw new Error(`the server answered HTTP ${response.status}: ${body.error ?? 'no backup'}`);
  progress.step(`the server wrote ${progress.size(body.bytes ?? 0)}`);
  return body.file;
}

async function backupSupabase(config: Config, outDir: string): Promise<string> {
  if (!config.backup.databaseUrl) {
    throw new Error('On Supabase set SUPABASE_DB_URL (Project Settings → Database → connection string, session pooler or direct) to back up with pg_dump.');
  }
  await mkdir(outDir, { recursive: true });
  const file = path.join(outDir, backupFileName(new Date()).replace('.tar.gz', '.dump'));
  progress.step('pg_dump (custom format, schema public and the migrations’ data)');
  await new Promise<void>((resolve, reject) => {
    // libpq's variables rather than argv, so `ps` does not show the password.
    const child = spawn('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--schema=public', '--verbose', '--file', file], {
      env: { ...process.env, ...libpqEnvironment(config.backup.databaseUrl!) },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let tables = 0;
    const problems: string[] = [];
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        if (/dumping contents of table/.test(line)) {
          tables++;
          progress.step(line.replace(/^pg_dump: /, '').trim());
        } else if (/error|fatal|could not/i.test(line)) problems.push(line.trim());
      }
    });
    child.on('error', (error) => reject(new Error(`cannot run pg_dump (install postgresql-client): ${error.message}`)));
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`pg_dump exited with ${code} after ${tables} tables${problems.length > 0 ? `: ${problems.slice(-3).join(' / ')}` : ''}`)),
    );
  });
  return file;
}

async function main() {
  let config: Config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const outFlag = process.argv.indexOf('--out');
  const outDir = outFlag > 0 ? process.argv[outFlag + 1]! : (config.backup.dir ?? 'backups');
  const file = config.database.kind === 'supabase' ? await backupSupabase(config, outDir) : await backupEmbedded(config, outDir);
  progress.step(`done: ${path.resolve(file)} (${progress.size((await stat(file).catch(() => ({ size: 0 }))).size)})`);
  console.log(path.resolve(file));
}

main().catch((error: unknown) => {
  console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
