import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Backups of the embedded database: a gzipped tarball of PGlite's directory, taken by the running
 * instance between two queries (Database.backup), so it is consistent. Named by time, so the
 * newest sorts last and a retention count keeps the newest.
 */
const pattern = /^vinyl-\d{8}-\d{6}\.tar\.gz$/;

export const backupFileName = (at: Date) => `vinyl-${at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}.tar.gz`;

/** The backups in a directory, oldest first. */
export async function listBackups(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
  return names.filter((name) => pattern.test(name)).sort().map((name) => path.join(dir, name));
}

/** Writes a dump next to its final name first, so a crash never leaves half a backup under that name. */
export async function writeBackup(dump: Blob, dir: string, at = new Date()): Promise<{ file: string; bytes: number }> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, backupFileName(at));
  const partial = `${file}.partial`;
  await writeFile(partial, Buffer.from(await dump.arrayBuffer()), { mode: 0o600 });
  await rename(partial, file);
  return { file, bytes: (await stat(file)).size };
}

/** Deletes all but the newest `keep` backups; returns the deleted files. */
export async function pruneBackups(dir: string, keep: number): Promise<string[]> {
  const backups = await listBackups(dir);
  const old = backups.slice(0, Math.max(0, backups.length - keep));
  for (const file of old) await rm(file, { force: true });
  return old;
}
