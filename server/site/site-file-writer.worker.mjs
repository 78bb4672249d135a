// The export's file writer thread (site-file-writer.ts). Plain JavaScript: it runs as it is
// under tsx, vitest and node alike, with no TypeScript loader in the thread.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';

/** Folders made or found by this thread: a folder is asked for once, not once per file. */
const folders = new Set();

function write(file, bytes) {
  const folder = path.dirname(file);
  if (!folders.has(folder)) {
    mkdirSync(folder, { recursive: true });
    folders.add(folder);
  }
  try {
    writeFileSync(file, bytes);
  } catch (error) {
    // The folder went away since (removed by hand between builds): make it again.
    if (error.code !== 'ENOENT') throw error;
    mkdirSync(folder, { recursive: true });
    writeFileSync(file, bytes);
  }
}

parentPort.on('message', ({ id, files }) => {
  try {
    for (const [file, bytes] of files) write(file, bytes);
    parentPort.postMessage({ id });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
