import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { seedDemoCatalog } from '../../server/catalog/seed-demo-catalog.ts';
import { sheetActionPaths } from '../../shared/sheet-actions-contract.ts';
import { Sheets } from '../../shared/sheet-layout.ts';
import { startAppsScriptEmulator, type AppsScriptEmulator } from '../emulators/apps-script/apps-script-emulator.ts';
import { builtAddon, catalogHeader, sheetSecret } from '../sheet/support/sheet-world.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const exists = (file: string) => stat(file).then(() => true, () => false);

describe('«Пересобрать сайт» in the sheet (built add-on in the Apps Script emulator)', () => {
  let database: TestDatabase | undefined;
  let app: Awaited<ReturnType<typeof startTestApp>> | undefined;
  let emu: AppsScriptEmulator | undefined;
  let outDir: string | undefined;
  afterEach(async () => {
    await emu?.close();
    await app?.close();
    await database?.close();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  /** The server, and the add-on set up and connected through the menu as the admin does it. */
  async function connectedSheet(env: Record<string, string>) {
    database = await pgliteDatabase();
    await seedDemoCatalog(createCatalogRepository(database.db));
    app = await startTestApp(database.db, { SHEET_SECRET: sheetSecret, PUBLIC_SITE_URL: 'https://records.example', ...env });
    const { bundle, htmlFiles } = await builtAddon();
    emu = await startAppsScriptEmulator({ bundle, htmlFiles, timeZone: 'Europe/Moscow' });
    await emu.addSheet(Sheets.Catalog, [catalogHeader]);
    await emu.open();
    await emu.clickMenu('Винил', 'Настроить листы');
    await emu.answerPrompts([
      { button: 'OK', text: app.url },
      { button: 'OK', text: sheetSecret },
    ]);
    await emu.clickMenu('Винил', 'Подключить к серверу');
    return emu;
  }

  it('rebuilds the static export on the server and tells the admin what changed, in Russian', async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'site-sheet-'));
    const sheet = await connectedSheet({ SITE_EXPORT_DIR: outDir });
    // A record changed since the server's own build: the rebuild writes its page.
    await database!.sql(`update records set price = 7777 where title = 'Abbey Road'`);
    const before = (await sheet.uiLog()).length;
    await sheet.clickMenu('Винил', 'Пересобрать сайт');
    const shown = (await sheet.uiLog()).slice(before);
    expect(shown[0]).toMatchObject({ kind: 'toast', message: 'Сервер пересобирает сайт…' });
    const alert = shown.find((entry) => entry.kind === 'alert');
    expect(alert?.message).toMatch(/^Сайт пересобран за [\d,]+ с: обновлено файлов — [1-9]\d*, удалено — 0 \(всего \d+\)\.\nХук публикации не настроен/);
    const [abbey] = await database!.sql<{ number: number; slug: string }>(`select number, slug from records where title = 'Abbey Road'`);
    expect(await exists(path.join(outDir, `records/${abbey!.number}/${abbey!.slug}/index.html`))).toBe(true);
  });

  it('says in Russian that the export is off when the server has no SITE_EXPORT_DIR', async () => {
    const sheet = await connectedSheet({});
    const before = (await sheet.uiLog()).length;
    await sheet.clickMenu('Винил', 'Пересобрать сайт');
    const shown = (await sheet.uiLog()).slice(before);
    expect(shown.find((entry) => entry.kind === 'alert')?.message).toMatch(/^На сервере выключен статический экспорт сайта: задайте SITE_EXPORT_DIR/);
    expect(shown.at(-2)).toMatchObject({ kind: 'toast', message: 'Сайт не пересобран' });
  });

  it('the server takes the request only signed with the sheet secret', async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'site-sheet-'));
    database = await pgliteDatabase();
    app = await startTestApp(database.db, { SHEET_SECRET: sheetSecret, SITE_EXPORT_DIR: outDir });
    const response = await fetch(app.url + sheetActionPaths.siteRebuild, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"full":true}' });
    expect(response.status).toBe(401);
  });
});
