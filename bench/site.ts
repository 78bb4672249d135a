import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as chromeLauncher from 'chrome-launcher';
import express from 'express';
import lighthouse from 'lighthouse';
import { createCatalogRepository } from '../server/catalog/catalog-repository.ts';
import { parseConfig } from '../server/config.ts';
import { createServer } from '../server/create-server.ts';
import { createDatabase } from '../server/db/database.ts';
import { migratePglite } from '../server/db/open-database.ts';
import { createPgliteTransport, openPglite } from '../server/db/pglite-transport.ts';
import { createLogger } from '../server/logger.ts';
import { buildSiteAssets } from '../server/site/site-assets.ts';
import { createSiteCatalog } from '../server/site/site-catalog.ts';
import { createConfiguredExporter } from '../server/site/site-module.ts';
import { recordPath } from '../site/site-urls.ts';
import { generateCatalog, seededRandom } from './support/catalog-generator.ts';
import { measureRps, percentile, progress, wireResponse } from './support/http-load.ts';
import { unpackDump, writeDump } from './support/pglite-copy.ts';
import { exportInOwnProcess } from './support/site-export-process.ts';

/**
 * The store website on 10,000 generated records (each with a description, as the AI leaves it):
 * the full static export (median of three, each in a process of its own), the incremental
 * rebuild after one record changes, record pages through the server uncached and cached (against
 * a bare route serving the same bytes), the search index's size, and Lighthouse (Debian's
 * chromium) on the home, a record and the search page.
 */
const RECORDS = 10_000;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browserHeaders = { 'Accept-Encoding': 'gzip, br' };
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

const sentences = [
  'Пластинка из тех, что коллекционеры ставят на вертушку первой, когда хотят показать гостям, как звучит настоящий винил.',
  'Плотная середина, живой бас и воздух между инструментами: запись того времени, когда студии писали целиком на ленту.',
  'Конверт в хорошем состоянии, диск проверен на аппаратуре магазина, щелчков на тихих местах почти нет.',
  'Издание давно не переиздавалось, и экземпляры в таком состоянии встречаются всё реже.',
  'Хороший выбор и для первой полки, и для давнего собирателя, которому не хватает именно этого пресса.',
];

const pg = await openPglite();
await migratePglite(pg);
const db = createDatabase(createPgliteTransport(pg));
const random = seededRandom(11);
const records = generateCatalog(RECORDS).map((r) => ({
  ...r,
  description: Array.from({ length: 4 }, () => sentences[Math.floor(random() * sentences.length)]).join(' '),
}));
for (let i = 0; i < records.length; i += 2000) await createCatalogRepository(db).importRecords(records.slice(i, i + 2000));
await pg.exec('analyze');
progress(`loaded ${RECORDS} records`);

// The server first: its address is the site's URL (canonical links on the same origin for Lighthouse).
const outer = express();
outer.set('etag', false);
let ceilingBody: Buffer = Buffer.alloc(0);
let ceilingHeaders: Record<string, string> = {};
// Mounted only here: the cheapest express can answer these exact bytes.
outer.get('/__ceiling', (_req, res) => {
  res.set(ceilingHeaders);
  res.end(ceilingBody);
});
const server = outer.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const config = parseConfig({ DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent', PUBLIC_SITE_URL: base });

// Full export: read the catalog, render every page, write the folder.
// Written to memory where there is a tmpfs: on these VMs' ext4, creating a file or a folder
// takes from 30 to 700 µs depending on how much was deleted before (measured with plain
// mkdirSync/writeFileSync), which would time the disk's history rather than the export's 50,000
// files and folders. SITE_BENCH_DIR chooses another folder; the JSON says which kind was used.
const outBase = process.env.SITE_BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const work = await mkdtemp(path.join(outBase, 'bench-site-'));
process.once('exit', () => rmSync(work, { recursive: true, force: true }));
// Each build in a process of its own (bench/support/site-export-process.ts), reading a copy of
// this database from a folder; the figure is the median of three.
const dataDir = path.join(work, 'data');
await writeDump(pg, path.join(work, 'catalog.tar'));
unpackDump(path.join(work, 'catalog.tar'), path.join(dataDir, 'pglite'));
const exportRuns: number[] = [];
for (let i = 0; i < 3; i++) {
  const run = await exportInOwnProcess({ dataDir, outDir: path.join(work, 'export'), siteUrl: base });
  await rm(path.join(work, 'export'), { recursive: true, force: true });
  exportRuns.push(run.seconds);
  progress(`full export #${i + 1}, a process of its own: ${run.files} files in ${run.seconds.toFixed(2)} s`);
}
const exportSeconds = percentile(exportRuns.sort((a, b) => a - b), 50);

// The server's own full build (on start and daily), in this process after the import: its time
// is reported beside the figure, and the incremental builds follow it (the exporter remembers
// what each list page showed).
const outDir = path.join(work, 'site');
const exporter = await createConfiguredExporter(config, outDir, await buildSiteAssets());
const serverExportStarted = performance.now();
const site = createSiteCatalog({ db });
const full = await exporter.full(await site.current());
const serverExportSeconds = (performance.now() - serverExportStarted) / 1000;
progress(`full export in this process: ${full.rendered} files in ${serverExportSeconds.toFixed(2)} s`);

// Incremental: one record's price changes (as a sheet edit would), the export follows.
const incremental: number[] = [];
for (let i = 0; i < 7; i++) {
  const number = 1 + Math.floor(random() * RECORDS);
  await pg.query('update records set price = price + 100 where number = $1', [number]);
  const started = performance.now();
  const change = await site.refresh();
  const result = await exporter.incremental(await site.current(), change);
  incremental.push(performance.now() - started);
  progress(`incremental #${i + 1}: record ${number}, ${result.rendered} rendered, ${result.written} written in ${Math.round(performance.now() - started)} ms`);
}
incremental.sort((a, b) => a - b);
const indexGzipKb = gzipSync(await readFile(path.join(outDir, 'search-index.json'))).length / 1024;

// Through the server: distinct record pages (each a cache miss), then one page from the cache.
const vinyl = createServer({ config, db, logger: createLogger('silent') });
outer.use(vinyl.app);
const numbers = (await pg.query<{ number: number; slug: string }>('select number, slug from records order by random() limit 430')).rows;
const get = async (url: string) => {
  const response = await fetch(base + url, { headers: browserHeaders });
  if (response.status !== 200) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
};
for (const r of numbers.slice(0, 30)) await (await get(recordPath(r))).arrayBuffer();
const latencies: number[] = [];
for (const r of numbers.slice(30)) {
  const started = performance.now();
  await (await get(recordPath(r))).arrayBuffer();
  latencies.push(performance.now() - started);
}
latencies.sort((a, b) => a - b);
progress(`uncached record pages: p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms`);

const cachedPath = recordPath(numbers[0]!);
// What the server sends, compressed as it goes over the wire: the bare route answers these bytes.
({ body: ceilingBody, headers: ceilingHeaders } = await wireResponse(base + cachedPath, browserHeaders));
const load = { connections: 32, seconds: 8, headers: browserHeaders };
const cached = await measureRps(base + cachedPath, load);
const ceiling = await measureRps(`${base}/__ceiling`, load);
progress(`cached record page: ${Math.round(cached.rps)} req/s, bare route ${Math.round(ceiling.rps)} req/s (${ceilingBody.length} bytes)`);

// Lighthouse 12 (mobile preset: simulated slow 4G and a 4x slower CPU) on three pages.
const chrome = await chromeLauncher.launch({
  chromePath: chromiumPath,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const scores = { seo: 1, accessibility: 1, best_practices: 1, performance: 1 };
try {
  for (const url of ['/', cachedPath, '/search/']) {
    const result = await lighthouse(base + url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] });
    const categories = result!.lhr.categories;
    const page = {
      seo: categories.seo!.score ?? 0,
      accessibility: categories.accessibility!.score ?? 0,
      best_practices: categories['best-practices']!.score ?? 0,
      performance: categories.performance!.score ?? 0,
    };
    const failing = Object.values(result!.lhr.audits).filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative' && a.scoreDisplayMode !== 'notApplicable').map((a) => a.id);
    progress(`lighthouse ${url}: ${JSON.stringify(page)}${failing.length ? ` (below 0.9: ${failing.join(', ')})` : ''}`);
    for (const key of Object.keys(scores) as Array<keyof typeof scores>) scores[key] = Math.min(scores[key], page[key]);
  }
} finally {
  await chrome.kill();
}

server.close();
await vinyl.stop();
await db.close();

console.log(
  JSON.stringify({
    bench: 'site',
    records: RECORDS,
    export_s: round(exportSeconds, 2),
    export_to: outBase === '/dev/shm' ? 'tmpfs' : outBase,
    export_in_server_s: round(serverExportSeconds, 2),
    incremental_ms: Math.round(percentile(incremental, 50)),
    page_p95_ms: round(percentile(latencies, 95)),
    cached_vs_ceiling: round(cached.rps / ceiling.rps, 2),
    index_gzip_kb: round(indexGzipKb),
    lighthouse: {
      seo: Math.round(scores.seo * 100),
      accessibility: Math.round(scores.accessibility * 100),
      best_practices: Math.round(scores.best_practices * 100),
      performance: Math.round(scores.performance * 100),
    },
  }),
);
