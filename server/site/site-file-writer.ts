import { Worker } from 'node:worker_threads';

/** How many batches may wait for the writer: rendering runs ahead of the disk only this far. */
const maxInFlight = 2;

/**
 * Writes a full build's files on a thread of its own while the main thread renders the next
 * ones: creating tens of thousands of files and folders is the kernel's work, and on the main
 * thread it would add to the rendering time instead of overlapping it. Batches are copied to
 * the thread; at most two wait at a time, so a build's
 * pages never all sit in memory. close() waits for the last batch and ends the thread.
 */
export function createSiteFileWriter() {
  const worker = new Worker(new URL('./site-file-writer.worker.mjs', import.meta.url));
  const waiting = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  const inFlight: Array<Promise<void>> = [];
  let nextId = 0;
  let failure: Error | null = null;

  const failAll = (error: Error) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  worker.on('message', ({ id, error }: { id: number; error?: string }) => {
    const batch = waiting.get(id);
    waiting.delete(id);
    if (error) failAll(new Error(`site export: ${error}`));
    else batch?.resolve();
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`site export: the file writer stopped (exit ${code})`)));

  return {
    /** Queues files ([absolute path, bytes]); resolves once the writer can take more. */
    async write(files: Array<[string, Buffer]>): Promise<void> {
      if (failure) throw failure;
      if (files.length === 0) return;
      const id = nextId++;
      const done = new Promise<void>((resolve, reject) => waiting.set(id, { resolve, reject }));
      // Awaited below or in close(); a failure meanwhile must not count as unhandled.
      done.catch(() => undefined);
      // Copied, not moved: some buffers live on (the assets, memoized pieces).
      worker.postMessage({ id, files });
      inFlight.push(done);
      while (inFlight.length >= maxInFlight) await inFlight.shift();
    },
    /** Waits for every queued file, then ends the thread. */
    async close(): Promise<void> {
      try {
        await Promise.all(inFlight.splice(0));
        if (failure) throw failure;
      } finally {
        worker.removeAllListeners('exit');
        await worker.terminate();
      }
    },
  };
}
export type SiteFileWriter = ReturnType<typeof createSiteFileWriter>;
