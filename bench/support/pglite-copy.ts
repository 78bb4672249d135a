import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';

/** Writes a PGlite database's dump to a tar file, in parts: a large dump is more than one write may take. */
export async function writeDump(pg: PGlite, tar: string): Promise<void> {
  const dump = await pg.dumpDataDir('none');
  const file = await open(tar, 'w');
  try {
    for (let at = 0; at < dump.size; at += 64 << 20) await file.write(new Uint8Array(await dump.slice(at, at + (64 << 20)).arrayBuffer()));
  } finally {
    await file.close();
  }
}

/**
 * A copy of the dumped database as a folder (made if missing) that openPglite({ dataDir }) opens:
 * PGlite then reads its pages on demand instead of loading the whole dump into memory.
 */
export function unpackDump(tar: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xf', tar, '-C', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  return dir;
}
