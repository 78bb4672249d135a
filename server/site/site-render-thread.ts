import { parentPort, workerData } from 'node:worker_threads';
import type { SiteContext } from '../../site/site-context.ts';
import { buildSnapshot, type SiteRecord } from './site-catalog.ts';
import { createChangedFileWriter, recordFiles } from './site-files.ts';
import { createSitePages } from './site-pages.tsx';

/** What the export hands each render thread once (site-render-pool.ts). */
export interface RenderThreadData {
  ctx: SiteContext;
  /** The snapshot's records in the catalog's order: the thread indexes them as the server does. */
  records: SiteRecord[];
  outDir: string;
  /** The folder's manifest (file -> hash): files whose bytes match are not written again. */
  known: Map<string, string>;
}

/** One slice of records rendered and written: every file with its hash, and each record's similar ids. */
export interface RenderedSlice {
  files: Array<[string, string]>;
  written: number;
  similar: Array<[string, string]>;
}

const { ctx, records, outDir, known } = workerData as RenderThreadData;
const snapshot = buildSnapshot(records);
const pages = createSitePages(ctx);
const writeChanged = createChangedFileWriter(outDir);

parentPort!.on('message', ({ from, to }: { from: number; to: number }) => {
  try {
    const slice: RenderedSlice = { files: [], written: 0, similar: [] };
    for (const record of snapshot.records.slice(from, to)) {
      slice.similar.push([record.id, pages.similarIds(snapshot, record)]);
      for (const [file, body] of recordFiles(pages, snapshot, record)) {
        const { hash, written } = writeChanged(known, file, body);
        slice.files.push([file, hash]);
        if (written) slice.written++;
      }
    }
    parentPort!.postMessage({ slice });
  } catch (error) {
    parentPort!.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
