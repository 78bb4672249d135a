import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { threadBundle } from '../thread-bundle.ts';
import type { RenderedSlice, RenderThreadData } from './site-render-thread.ts';

/** Records per task: small enough that the threads finish together, large enough that messages are few. */
const sliceSize = 250;

let threadCode: Promise<string> | undefined;
/** The render thread's code (site-render-thread.ts with the pages and preact), bundled once per process. */
export function renderThreadCode(): Promise<string> {
  threadCode ??= build(threadBundle(fileURLToPath(new URL('./site-render-thread.ts', import.meta.url)))).then((result) => result.outputFiles[0]!.text);
  threadCode.catch(() => (threadCode = undefined));
  return threadCode;
}

/**
 * Renders and writes every record's files (site-files.ts) on as many threads as there are cores
 * (at most four), while the calling thread renders the list pages: rendering ten thousand pages
 * and creating their files is nearly all of a full build. Each thread builds the snapshot from
 * the records once and takes slices until none are left; onSlice sees each slice's result.
 * The first failure, or the signal, stops every thread and rejects.
 */
export async function renderRecordsInThreads(data: RenderThreadData, signal: AbortSignal, onSlice: (slice: RenderedSlice) => void): Promise<void> {
  if (data.records.length === 0) return;
  const threads = Math.min(4, availableParallelism(), Math.ceil(data.records.length / sliceSize));
  let next = 0;
  const code = await renderThreadCode();
  const workers: Worker[] = [];
  try {
    await Promise.all(
      Array.from({ length: threads }, () => {
        const worker = new Worker(code, {
          eval: true,
          workerData: data,
          // Not this process's loader flags (tsx): the bundle is plain JavaScript.
          execArgv: [],
          // Rendering makes short-lived strings by the megabyte: a larger young generation
          // spares most of the collections that would otherwise take a fifth of the time.
          resourceLimits: { maxYoungGenerationSizeMb: 64 },
        });
        workers.push(worker);
        return new Promise<void>((resolve, reject) => {
          const take = () => {
            if (next >= data.records.length) return resolve();
            worker.postMessage({ from: next, to: (next += sliceSize) });
          };
          worker.on('message', ({ slice, error }: { slice?: RenderedSlice; error?: string }) => {
            if (error) return reject(new Error(`site export: ${error}`));
            onSlice(slice!);
            take();
          });
          worker.on('error', reject);
          signal.addEventListener('abort', () => reject(new Error('site export: stopped')), { once: true });
          worker.on('exit', (code) => reject(new Error(`site export: a render thread stopped (exit ${code})`)));
          take();
        });
      }),
    );
  } finally {
    for (const worker of workers) worker.removeAllListeners('exit');
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
