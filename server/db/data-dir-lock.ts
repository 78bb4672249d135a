import { mkdirSync } from 'node:fs';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { sleep } from '../async/sleep.ts';

/**
 * PGlite takes no lock on its directory, and two processes on one directory silently lose
 * writes (electric-sql/pglite#1106), so the server holds its own: proper-lockfile's lock, a
 * directory created atomically (mkdir) whose mtime the owner refreshes every few seconds. Whether
 * the owner lives is read from that heartbeat alone, never from a PID or a hostname: after a
 * SIGKILL or an OOM kill in a container the new server is PID 1 again, like the dead one, and
 * often on another hostname, and a PID check either locked it out for ever or let a stranger in.
 * A lock whose heartbeat stopped for `staleMs` is taken over; a live owner keeps it fresh, so
 * two running servers never share a directory (the second gives up after waiting `staleMs`).
 */
export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `The data directory ${path.resolve(dataDir)} is in use by another server (its lock was kept fresh while this one waited). ` +
        'Stop that server, or give this one its own DATA_DIR.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLockOptions {
  /** A lock not refreshed for this long belongs to a dead server (proper-lockfile's minimum is 5 s). */
  staleMs?: number;
  /** How often the owner refreshes it (at most half of staleMs). */
  updateMs?: number;
  /** Someone else took the lock or removed it: this server must stop using the directory. */
  onCompromised?: (error: Error) => void;
  log?: (message: string) => void;
}

export const defaultLockTiming = { staleMs: 20_000, updateMs: 5_000 } as const;

/** The lock's own directory inside DATA_DIR (server.lock was the pid file of older versions). */
export const lockPathOf = (dataDir: string) => path.join(dataDir, 'data-dir.lock');

/** Whether a live server holds the directory's lock now (a fresh heartbeat), without waiting. */
export async function isDataDirLocked(dataDir: string, staleMs: number = defaultLockTiming.staleMs): Promise<boolean> {
  return lockfile.check(dataDir, { lockfilePath: lockPathOf(dataDir), stale: staleMs, realpath: false });
}

/**
 * Takes the directory's lock, waiting up to `staleMs` for a dead owner's lock to go stale, or
 * throws DataDirLockedError. release() is idempotent; an exit releases it too (proper-lockfile
 * removes its locks on exit), and a kill leaves it to go stale.
 */
export async function lockDataDir(dataDir: string, options: DataDirLockOptions = {}): Promise<{ release(): Promise<void> }> {
  const staleMs = options.staleMs ?? defaultLockTiming.staleMs;
  const updateMs = Math.min(options.updateMs ?? defaultLockTiming.updateMs, staleMs / 2);
  mkdirSync(dataDir, { recursive: true });
  const deadline = Date.now() + staleMs + updateMs;
  let told = false;
  for (;;) {
    try {
      const unlock = await lockfile.lock(dataDir, {
        lockfilePath: lockPathOf(dataDir),
        stale: staleMs,
        update: updateMs,
        realpath: false,
        onCompromised: options.onCompromised ?? ((error) => { throw error; }),
      });
      let released: Promise<void> | null = null;
      return { release: () => (released ??= unlock().catch(() => undefined)) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (Date.now() > deadline) throw new DataDirLockedError(dataDir);
      if (!told) {
        told = true;
        options.log?.(`${path.resolve(dataDir)} is locked: waiting up to ${Math.round((staleMs + updateMs) / 1000)} s in case its server is dead and its lock goes stale`);
      }
      await sleep(500);
    }
  }
}
