import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Sheets, catalogColumns, type CatalogColumn } from '../../shared/sheet-layout.ts';
import { statusLabels } from '../../shared/record-status.ts';
import { startAppsScriptEmulator, type AppsScriptEmulator } from '../emulators/apps-script/apps-script-emulator.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../emulators/openai/fake-openai.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';
import { builtAddon } from '../sheet/support/sheet-world.ts';
import { llmEnv, sheetSecret, waitFor, wordCount } from './ai-test-kit.ts';

// The add-on (issue 3) is built from apps-script/src by apps-script/build.ts (npm run gas:build).
const addonSource = new URL('../../apps-script/src/main.ts', import.meta.url);
const keys = Object.keys(catalogColumns) as CatalogColumn[];
const header = keys.map((key) => catalogColumns[key]);
const at = (key: CatalogColumn) => keys.indexOf(key);
const colLetter = (key: CatalogColumn) => String.fromCharCode(65 + at(key));

describe.skipIf(!existsSync(addonSource))('AI enrichment from a sheet edit back to the sheet (built add-on in the Apps Script emulator)', () => {
  let database: TestDatabase | undefined;
  let fake: FakeOpenAi | undefined;
  let app: Awaited<ReturnType<typeof startTestApp>> | undefined;
  let emu: AppsScriptEmulator | undefined;
  afterEach(async () => {
    await emu?.close();
    await app?.close();
    await fake?.close();
    await database?.close();
  });

  it('a row typed into the sheet comes back with the AI description, SEO and facts, noted, and a later edit of the text is the admin’s', async () => {
    database = await pgliteDatabase();
    fake = await startFakeOpenAi();
    app = await startTestApp(database.db, llmEnv(fake, undefined, { SHEET_SECRET: sheetSecret }));
    const { bundle, htmlFiles } = await builtAddon();
    emu = await startAppsScriptEmulator({ bundle, htmlFiles, timeZone: 'Europe/Moscow' });
    await emu.addSheet(Sheets.Catalog, [header]);
    await emu.open();
    await emu.clickMenu('Винил', 'Настроить листы');
    await emu.answerPrompts([
      { button: 'OK', text: app.url },
      { button: 'OK', text: sheetSecret },
    ]);
    await emu.clickMenu('Винил', 'Подключить к серверу');

    // The admin types a new record: no label, no country, no description.
    const row = keys.map((key) => ({ title: 'Rumours', artist: 'Fleetwood Mac', genre: 'Рок', year: 1977, condition: 'NM', price: 4500, status: statusLabels.available })[key as string] ?? '');
    await emu.paste(Sheets.Catalog, 'A2', [row.slice(0, at('id'))]);
    const id = await waitFor(async () => String((await emu!.values(Sheets.Catalog))[1]?.[at('id')] ?? ''), 10_000, 'the row id');

    // The server's worker enriches it; the add-on's next tick pulls the result into the sheet.
    await waitFor(async () => (await database!.sql(`select 1 from sheet_outbox where record_id = $1 and payload -> 'fields' ? 'description'`, [id])).length > 0, 10_000, 'the enrichment');
    await emu.runFunction('handleTick');
    const values = (await emu.values(Sheets.Catalog))[1]!;
    const description = String(values[at('description')]);
    expect(wordCount(description)).toBeGreaterThanOrEqual(300);
    expect(values[at('label')]).toBe('Fake Records');
    expect(values[at('country')]).toBe('Великобритания');
    expect(String(values[at('seo_title')])).toMatch(/^Купить винил Fleetwood Mac/);
    const notes = (await emu.notes(Sheets.Catalog))[1]!;
    expect(notes[at('label')]).toBe('Заполнено ИИ — проверьте');
    expect(notes[at('description')]).toBe('Заполнено ИИ — проверьте');
    expect((await app.get(`/api/records/${id}`)).body.description).toBe(description);
    // The AI saw the customer-free record data as a delimited block.
    expect(fake.stageRequests('description')[0]!.data).toMatchObject({ title: 'Rumours', artist: 'Fleetwood Mac' });

    // The admin rewrites the description in the sheet: from now on it is the admin's.
    await emu.edit(Sheets.Catalog, `${colLetter('description')}2`, 'Моё собственное описание этой пластинки.');
    const [record] = await database.sql<{ description: string; field_sources: Record<string, string> }>(
      'select description, field_sources from records where id = $1', [id]);
    expect(record).toMatchObject({ description: 'Моё собственное описание этой пластинки.' });
    expect(record!.field_sources.description).toBe('admin');
    expect(record!.field_sources.label).toBe('ai');
  });
});
