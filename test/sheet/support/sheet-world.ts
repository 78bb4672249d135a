import { readFile, readdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buildAddon } from '../../../apps-script/build.ts';
import { createServer } from '../../../server/create-server.ts';
import { createLogger } from '../../../server/logger.ts';
import { statusLabels, type ActiveStatus } from '../../../shared/record-status.ts';
import { Sheets, catalogColumns, type CatalogColumn } from '../../../shared/sheet-layout.ts';
import { startAppsScriptEmulator, type AppsScriptEmulator } from '../../emulators/apps-script/apps-script-emulator.ts';
import { pgliteDatabase, type TestDatabase } from '../../support/databases.ts';
import { testConfig } from '../../support/test-app.ts';

export const sheetSecret = 'test-sheet-secret-0123456789abcdef';
export const catalogKeys = Object.keys(catalogColumns) as CatalogColumn[];
export const catalogHeader = catalogKeys.map((key) => catalogColumns[key]);

let built: Promise<{ bundle: string; htmlFiles: Record<string, string> }> | undefined;

/** The BUILT add-on (what clasp pushes), built once per test process. */
export function builtAddon() {
  built ??= (async () => {
    const { dir } = await buildAddon();
    const htmlFiles: Record<string, string> = {};
    for (const file of await readdir(dir)) {
      if (file.endsWith('.html')) htmlFiles[file.replace(/\.html$/, '')] = await readFile(path.join(dir, file), 'utf8');
    }
    return { bundle: await readFile(path.join(dir, 'addon.js'), 'utf8'), htmlFiles };
  })();
  return built;
}

/** A1 column letter of a catalog column in the default layout. */
export function col(key: CatalogColumn): string {
  return String.fromCharCode(65 + catalogKeys.indexOf(key));
}

/** A catalog row in header order, with defaults for a valid record on sale. */
export function catalogRow(overrides: Partial<Record<CatalogColumn, unknown>> = {}): unknown[] {
  const base: Partial<Record<CatalogColumn, unknown>> = {
    title: 'Kind of Blue',
    artist: 'Miles Davis',
    genre: 'Jazz',
    year: 1959,
    condition: 'VG+',
    price: 3500,
    status: statusLabels.available,
    ...overrides,
  };
  return catalogKeys.map((key) => base[key] ?? '');
}

export const label = (status: ActiveStatus) => statusLabels[status];

/** The real server on a fixed loopback port that a test can take down and bring back. */
async function startSwitchableServer(database: TestDatabase) {
  const config = testConfig({ SHEET_SECRET: sheetSecret });
  const vinyl = createServer({ config, db: database.db, logger: createLogger(config.logLevel) });
  await vinyl.start();
  let server: Server | null = null;
  let port = 0;
  const up = async () => {
    server = vinyl.app.listen(port, '127.0.0.1');
    await new Promise((resolve) => server!.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  };
  const down = async () => {
    if (!server) return;
    const s: Server = server;
    server = null;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await up();
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    vinyl,
    up,
    down,
    get: async (p: string) => {
      const response = await fetch(url + p);
      return { status: response.status, body: (await response.json()) as any };
    },
    async close() {
      await down();
      await vinyl.stop();
    },
  };
}

export interface SheetWorld {
  db: TestDatabase;
  server: Awaited<ReturnType<typeof startSwitchableServer>>;
  emu: AppsScriptEmulator;
  /** Catalog values without the header. */
  catalog(): Promise<unknown[][]>;
  /** Record id written in the ID column of a sheet row (1-based, header is row 1). */
  idAt(row: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * The whole chain for end-to-end tests: PGlite + the real server + the built add-on in the
 * emulator, set up and connected through the «Винил» menu as the admin would.
 */
export async function startSheetWorld(rows: unknown[][] = []): Promise<SheetWorld> {
  const db = await pgliteDatabase();
  const server = await startSwitchableServer(db);
  const { bundle, htmlFiles } = await builtAddon();
  const emu = await startAppsScriptEmulator({ bundle, htmlFiles, timeZone: 'Europe/Moscow' });
  await emu.addSheet(Sheets.Catalog, [catalogHeader, ...rows]);
  await emu.open();
  await emu.clickMenu('Винил', 'Настроить листы');
  await emu.answerPrompts([
    { button: 'OK', text: server.url },
    { button: 'OK', text: sheetSecret },
  ]);
  await emu.clickMenu('Винил', 'Подключить к серверу');
  const catalog = async () => (await emu.values(Sheets.Catalog)).slice(1);
  return {
    db,
    server,
    emu,
    catalog,
    idAt: async (row) => String((await emu.values(Sheets.Catalog))[row - 1]?.[catalogKeys.indexOf('id')] ?? ''),
    async close() {
      await emu.close();
      await server.close();
      await db.close();
    },
  };
}
