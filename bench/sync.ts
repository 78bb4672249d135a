import type { AddressInfo } from 'node:net';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { buildAddon } from '../apps-script/build.ts';
import { parseConfig } from '../server/config.ts';
import { createServer } from '../server/create-server.ts';
import { createDatabase } from '../server/db/database.ts';
import { migratePglite } from '../server/db/open-database.ts';
import { createPgliteTransport, openPglite } from '../server/db/pglite-transport.ts';
import { createLogger } from '../server/logger.ts';
import { statusLabels } from '../shared/record-status.ts';
import { Sheets, catalogColumns, type CatalogColumn } from '../shared/sheet-layout.ts';
import { startAppsScriptEmulator } from '../test/emulators/apps-script/apps-script-emulator.ts';
import { percentile, progress } from './support/http-load.ts';

/**
 * Sheet sync end to end: the BUILT add-on in the Apps Script emulator against the real server
 * on embedded PGlite. 200 single-cell edits, each timed from the edit until GET
 * /api/records/:id shows the new value; then a reconcile of a 10,000-row sheet in one execution.
 */
const EDITS = 200;
const RECONCILE_ROWS = 10_000;
const SECRET = 'bench-sheet-secret-0123456789abcdef';
const keys = Object.keys(catalogColumns) as CatalogColumn[];
const header = keys.map((key) => catalogColumns[key]);
const letter = (key: CatalogColumn) => String.fromCharCode(65 + keys.indexOf(key));
const row = (i: number) => {
  const values: Partial<Record<CatalogColumn, unknown>> = {
    title: `Bench album ${i}`, artist: `Artist ${i % 97}`, genre: 'Rock', year: 1960 + (i % 60), condition: 'VG+',
    price: 1000 + i, status: statusLabels.available, label: 'Melodiya', country: 'СССР',
    // With a description no AI job is queued: the benchmark measures the sync alone.
    description: `Описание пластинки ${i}`,
  };
  return keys.map((key) => values[key] ?? '');
};

const pg = await openPglite();
await migratePglite(pg);
const db = createDatabase(createPgliteTransport(pg));
const config = parseConfig({ DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent', SHEET_SECRET: SECRET });
const vinyl = createServer({ config, db, logger: createLogger('silent') });
await vinyl.start();
const server = vinyl.app.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const { dir } = await buildAddon();
const bundle = await readFile(path.join(dir, 'addon.js'), 'utf8');
const htmlFiles: Record<string, string> = {};
for (const file of await readdir(dir)) if (file.endsWith('.html')) htmlFiles[file.slice(0, -5)] = await readFile(path.join(dir, file), 'utf8');

// --- 200 single-cell edits -------------------------------------------------------------------
const emu = await startAppsScriptEmulator({ bundle, htmlFiles });
await emu.addSheet(Sheets.Catalog, [header, ...Array.from({ length: EDITS }, (_, i) => row(i))]);
await emu.open();
await emu.clickMenu('Винил', 'Настроить листы');
await emu.answerPrompts([{ button: 'OK', text: base }, { button: 'OK', text: SECRET }]);
await emu.clickMenu('Винил', 'Подключить к серверу');
const sheet = await emu.values(Sheets.Catalog);
const ids = sheet.slice(1).map((r) => String(r[keys.indexOf('id')]));
progress(`connected; ${ids.length} rows synced`);

const latencies: number[] = [];
for (let i = 0; i < EDITS; i++) {
  const price = 5000 + i;
  const started = performance.now();
  await emu.edit(Sheets.Catalog, `${letter('price')}${i + 2}`, price);
  for (;;) {
    const response = await fetch(`${base}/api/records/${ids[i]}`);
    const body = (await response.json()) as { price?: number };
    if (body.price === price) break;
    if (performance.now() - started > 120_000) throw new Error(`edit ${i} never became visible`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  latencies.push(performance.now() - started);
  if (i % 50 === 49) progress(`${i + 1} edits`);
}
latencies.sort((a, b) => a - b);
await emu.close();

// --- reconcile of a 10,000-row sheet ------------------------------------------------------------
// The sheet is first imported (every row new to the server), then 500 rows are changed where no
// trigger sees it (as scripts and formulas do) and the reconcile, the measured step, finds them.
const big = await startAppsScriptEmulator({ bundle, htmlFiles });
await big.addSheet(Sheets.Catalog, [header, ...Array.from({ length: RECONCILE_ROWS }, (_, i) => row(100_000 + i))]);
await big.setScriptProperties({ SERVER_URL: base, SHEET_SECRET: SECRET });
const importStarted = performance.now();
await big.runFunction('menuSyncNow');
progress(`initial import of ${RECONCILE_ROWS} new rows: ${Math.round(performance.now() - importStarted)} ms`);
const missed = Array.from({ length: 500 }, (_, i) => [5 + i]);
await big.paste(Sheets.Catalog, `${letter('price')}2`, missed); // no installable trigger here: the server does not hear of it
await big.resetSpreadsheetCalls();
const logBefore = (await pg.query<{ id: number }>('select coalesce(max(id), 0)::int as id from sheet_sync_log')).rows[0]?.id ?? 0;
const reconcileStarted = performance.now();
await big.runFunction('menuSyncNow');
const reconcileMs = performance.now() - reconcileStarted;
const sheetCalls = await big.spreadsheetCalls();
const run = (await big.executions()).at(-1);
if (run?.error) throw new Error(`reconcile failed: ${run.error}`);
const serverMs = (await pg.query<{ ms: number }>('select coalesce(sum(duration_ms), 0)::int as ms from sheet_sync_log where id > $1', [logBefore])).rows[0]?.ms ?? 0;
const fixed = (await pg.query<{ n: number }>('select count(*)::int as n from records where deleted_at is null and price < 600')).rows[0]?.n;
progress(`reconcile: ${Math.round(reconcileMs)} ms in the execution, ${serverMs} ms in SQL, ${fixed}/500 missed edits recovered, ${sheetCalls} spreadsheet calls`);
await big.close();

server.closeAllConnections();
server.close();
await vinyl.stop();
await pg.close();

console.log(
  JSON.stringify({
    bench: 'sync',
    edits: EDITS,
    p50_ms: Math.round(percentile(latencies, 50)),
    p95_ms: Math.round(percentile(latencies, 95)),
    reconcile_rows: RECONCILE_ROWS,
    reconcile_ms: Math.round(reconcileMs),
    reconcile_sheet_calls: sheetCalls,
  }),
);
