import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * PGlite takes no lock on its directory, and two processes on one directory silently lose
 * writes (electric-sql/pglite#1106), so the server holds its own. A pid file rather than an
 * mtime-refreshed lock (proper-lockfile): a server killed with SIGKILL can restart at once,
 * because a lock whose process is gone (or from an earlier boot) is stale immediately.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The data directory ${path.resolve(dataDir)} is in use by another server (pid ${ownerPid}). ` +
        'Stop that server, or give this one its own DATA_DIR.',
    );
    this.name = 'DataDirLockedError';
  }
}

interface LockOwner {
  pid: number;
  host: string;
  boot: string;
}

const bootId = (() => {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return String(Math.round(Date.now() / 1000 - os.uptime()));
  }
})();

function isAlive(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return true; // Another machine on a shared disk: cannot check, assume alive.
  if (owner.boot !== bootId) return false; // Written before a reboot.
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the directory's lock or throws DataDirLockedError; release() is idempotent. */
export function lockDataDir(dataDir: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'server.lock');
  const me: LockOwner = { pid: process.pid, host: os.hostname(), boot: bootId };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, JSON.stringify(me), { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if ((JSON.parse(readFileSync(lockFile, 'utf8')) as LockOwner).pid === me.pid) unlinkSync(lockFile);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let owner: LockOwner | null = null;
      try {
        owner = JSON.parse(readFileSync(lockFile, 'utf8')) as LockOwner;
      } catch {
        owner = null; // Half-written or unreadable: treat as stale.
      }
      if (owner && isAlive(owner)) throw new DataDirLockedError(dataDir, owner.pid);
      try {
        unlinkSync(lockFile);
      } catch {
        // Another starter removed it first; the exclusive create decides who wins.
      }
    }
  }
  throw new DataDirLockedError(dataDir, -1);
}
