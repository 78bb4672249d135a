import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import path from 'node:path';
import type { SiteContext } from '../../site/site-context.ts';
import { coverPath, pageFile, recordPath, searchIndexPath } from '../../site/site-urls.ts';
import type { SiteAssets } from './site-assets.ts';
import type { SiteChange, SiteRecord, SiteSnapshot } from './site-catalog.ts';
import { createChangedFileWriter, recordFiles } from './site-files.ts';
import { createSitePages, type ListPageEntry } from './site-pages.tsx';
import { renderRecordsInThreads, renderThreadCode } from './site-render-pool.ts';

/** What a build did. */
export interface ExportResult {
  kind: 'full' | 'incremental';
  /** Pages and files rendered this time. */
  rendered: number;
  /** Files whose bytes changed on disk (the rest were left untouched, mtime and all). */
  written: number;
  deleted: number;
  ms: number;
}

const manifestFile = '.site-manifest.json';
// Incremental builds append what they wrote or deleted here instead of rewriting the whole
// manifest (30,000 entries) after every edit; a full build folds it back in.
const manifestLog = '.site-manifest.log';

/**
 * Writes the site to a folder for any static host: pages as dir/index.html, covers, the script,
 * sitemap.xml, robots.txt, the search index and 404.html. A manifest of every file's hash lets a
 * build write only files whose bytes changed and delete the ones no longer produced; in the
 * server the exporter also remembers which records each list page shows, so after an edit it
 * renders only the pages that change touches.
 */
export function createSiteExporter(deps: { ctx: SiteContext; assets: SiteAssets; outDir: string }) {
  const { ctx, assets, outDir } = deps;
  const pages = createSitePages(ctx);
  // Bundled now, while the caller reads the catalog: the first full build need not wait for it.
  renderThreadCode().catch(() => undefined);
  let manifest: Map<string, string> | null = null;
  /** List page path -> the records it showed and the list's length at the last build. */
  let lists = new Map<string, ListPageEntry>();
  /** Whether a list page shows other records, or changed ones (a new object), or a list of another length. */
  const listChanged = (list: ListPageEntry) => {
    const before = lists.get(list.path);
    return !before || before.total !== list.total || before.records.length !== list.records.length || list.records.some((r, i) => r !== before.records[i]);
  };
  /** Record id -> the similar records its page showed at the last build. */
  let similar = new Map<string, string>();

  async function loadManifest() {
    if (manifest) return manifest;
    try {
      manifest = new Map(Object.entries(JSON.parse(await readFile(path.join(outDir, manifestFile), 'utf8')) as Record<string, string>));
    } catch {
      manifest = new Map();
    }
    const log = await readFile(path.join(outDir, manifestLog), 'utf8').catch(() => '');
    for (const line of log.split('\n')) {
      if (!line) continue;
      const [file, hash] = JSON.parse(line) as [string, string | null];
      if (hash === null) manifest.delete(file);
      else manifest.set(file, hash);
    }
    return manifest;
  }

  /** Lines for the manifest's log: [file, hash] written, [file, null] deleted. */
  let pendingLog: string[] = [];

  const writeChanged = createChangedFileWriter(outDir);
  /** Writes the files whose content differs from the manifest; returns how many. */
  async function put(files: Map<string, string | Buffer>): Promise<number> {
    const known = await loadManifest();
    let written = 0;
    for (const [file, body] of files) {
      const { hash, written: changed } = writeChanged(known, file, body);
      if (!changed) continue;
      known.set(file, hash);
      pendingLog.push(JSON.stringify([file, hash]));
      written++;
    }
    return written;
  }

  async function remove(files: string[]): Promise<number> {
    const known = await loadManifest();
    for (let i = 0; i < files.length; i += 256) await Promise.all(files.slice(i, i + 256).map((file) => rm(path.join(outDir, file), { force: true })));
    for (const file of files) {
      known.delete(file);
      pendingLog.push(JSON.stringify([file, null]));
    }
    return files.length;
  }

  async function saveManifest(kind: 'full' | 'incremental') {
    if (kind === 'full') {
      await writeFile(path.join(outDir, manifestFile), JSON.stringify(Object.fromEntries(manifest!)));
      await rm(path.join(outDir, manifestLog), { force: true });
    } else if (pendingLog.length > 0) {
      await appendFile(path.join(outDir, manifestLog), `${pendingLog.join('\n')}\n`);
    }
    pendingLog = [];
  }

  /** Files every build rewrites (small, or a function of the whole catalog). */
  function catalogWide(s: SiteSnapshot, files: Map<string, string | Buffer>) {
    files.set(pageFile('/'), pages.home(s));
    files.set('sitemap.xml', pages.sitemap(s));
    files.set(searchIndexPath.slice(1), pages.searchIndex(s));
  }

  function putRecord(s: SiteSnapshot, record: SiteRecord, files: Map<string, string | Buffer>) {
    for (const [file, body] of recordFiles(pages, s, record)) files.set(file, body);
    similar.set(record.id, pages.similarIds(s, record));
  }

  return {
    outDir,

    /** Renders everything and writes what differs from the folder's last build. */
    async full(s: SiteSnapshot): Promise<ExportResult> {
      const started = performance.now();
      await mkdir(outDir, { recursive: true });
      const known = await loadManifest();
      const produced = new Set<string>();
      let written = 0;
      similar = new Map();
      // The records' files on threads of their own; this thread renders the rest meanwhile.
      const stop = new AbortController();
      const threads = renderRecordsInThreads({ ctx, records: s.records, outDir, known }, stop.signal, (slice) => {
        for (const [file, hash] of slice.files) {
          produced.add(file);
          known.set(file, hash);
        }
        for (const [id, ids] of slice.similar) similar.set(id, ids);
        written += slice.written;
      });
      // Awaited below; a thread failing while this one renders must not count as unhandled.
      threads.catch(() => undefined);
      // Written a slice at a time, yielding between: the threads get their next records, and
      // a server that builds keeps answering.
      const flush = async (files: Map<string, string | Buffer>) => {
        for (const file of files.keys()) produced.add(file);
        written += await put(files);
        files.clear();
        await yieldToEventLoop();
      };
      const files = new Map<string, string | Buffer>();
      const nextLists = new Map<string, ListPageEntry>();
      try {
        for (const [url, asset] of assets.files) files.set(url.slice(1), asset.body);
        files.set('robots.txt', pages.robots());
        files.set('404.html', pages.notFound());
        files.set(pageFile('/search/'), pages.search('', null));
        catalogWide(s, files);
        await flush(files);
        for (const list of pages.listPages(s)) {
          files.set(pageFile(list.path), list.render());
          nextLists.set(list.path, list);
          if (files.size >= 50) await flush(files);
        }
        await flush(files);
        await threads;
      } catch (error) {
        stop.abort();
        await threads.catch(() => undefined);
        // The manifest in memory took hashes of files that may not have reached the disk.
        manifest = null;
        pendingLog = [];
        throw error;
      }
      // Pages of records gone and of genres emptied: a static host would serve them for ever.
      const stale = [...known.keys()].filter((file) => !produced.has(file));
      const deleted = await remove(stale.filter((file) => file !== manifestFile && file !== manifestLog));
      await saveManifest('full');
      lists = nextLists;
      return { kind: 'full', rendered: produced.size, written, deleted, ms: performance.now() - started };
    },

    /**
     * After a change: the changed records' pages, the list pages whose records or order moved
     * or that show a changed record, and the catalog-wide files.
     */
    async incremental(s: SiteSnapshot, change: SiteChange): Promise<ExportResult> {
      const started = performance.now();
      const files = new Map<string, string | Buffer>();
      const gone: string[] = [];
      const touched = new Set<string>();
      for (const { before, after } of change.changes) {
        if (after) {
          touched.add(after.id);
          putRecord(s, after, files);
        }
        if (before) {
          touched.add(before.id);
          if (!after) {
            gone.push(pageFile(recordPath(before)), pageFile(`/records/${before.number}/`));
            if (!before.image_url) gone.push(coverPath(before).slice(1));
          } else if (recordPath(before) !== recordPath(after)) {
            // The slug changed with the title: the old address keeps working.
            files.set(pageFile(recordPath(before)), pages.redirect(recordPath(after)));
          }
          if (after && before.image_url === null && after.image_url !== null) gone.push(coverPath(before).slice(1));
        }
      }
      // Record pages of the same genres offer these records as similar: those whose offer changed.
      const genres = new Set(change.changes.flatMap(({ before, after }) => [before?.genre, after?.genre]).filter((g): g is string => Boolean(g)));
      for (const genre of s.genres) {
        if (!genre.records.some((r) => r.genre !== null && genres.has(r.genre))) continue;
        for (const record of genre.records) {
          if (touched.has(record.id)) continue;
          const ids = pages.similarIds(s, record);
          if (similar.get(record.id) !== ids) putRecord(s, record, files);
        }
      }
      for (const { before, after } of change.changes) if (before && !after) similar.delete(before.id);
      catalogWide(s, files);
      const nextLists = new Map<string, ListPageEntry>();
      for (const list of pages.listPages(s)) {
        nextLists.set(list.path, list);
        if (listChanged(list)) files.set(pageFile(list.path), list.render());
      }
      for (const listPath of lists.keys()) if (!nextLists.has(listPath)) gone.push(pageFile(listPath));
      lists = nextLists;
      const written = await put(files);
      const deleted = await remove(gone.filter((file) => !files.has(file)));
      await saveManifest('incremental');
      return { kind: 'incremental', rendered: files.size, written, deleted, ms: performance.now() - started };
    },
  };
}
export type SiteExporter = ReturnType<typeof createSiteExporter>;
