import { afterAll, describe, expect, it } from 'vitest';
import { catalogKeys, catalogRow, startSheetWorld, type SheetWorld } from './support/sheet-world.ts';

describe('reconcile of a 10,000-row catalog', () => {
  let world: SheetWorld | undefined;
  afterAll(async () => world?.close());

  // Rows carry a description so no AI job is queued: this test is about the sync alone.
  it('runs in one execution with a bounded number of spreadsheet calls (one getValues, no per-cell loop)', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => catalogRow({ title: `Record ${i}`, price: i, description: `Описание ${i}` }));
    world = await startSheetWorld(rows);
    const [count] = await world.db.sql<{ n: number }>('select count(*)::int as n from records where deleted_at is null');
    expect(count?.n).toBe(10_000);
    const ids = (await world.catalog()).map((row) => row[catalogKeys.indexOf('id')]);
    expect(new Set(ids).size).toBe(10_000);

    await world.db.sql(`update sheet_row_state set hash = null where record_id in (select record_id from sheet_row_state limit 100)`);
    await world.emu.resetSpreadsheetCalls();
    await world.emu.runFunction('handleTick'); // no reconcile due yet: only the pull
    const tickCalls = await world.emu.spreadsheetCalls();
    await world.emu.resetSpreadsheetCalls();
    await world.emu.clickMenu('Винил', 'Синхронизировать сейчас');
    const calls = await world.emu.spreadsheetCalls();
    expect(tickCalls).toBeLessThan(5);
    expect(calls).toBeLessThan(30);
    const run = (await world.emu.executions()).at(-1);
    expect(run?.fn).toBe('menuSyncNow');
    expect(run?.error).toBeUndefined();
    expect(run?.ms).toBeLessThan(6 * 60_000);
    const [log] = await world.db.sql<{ details: { need: number } }>(`select details from sheet_sync_log where kind = 'reconcile' order by id desc limit 1`);
    expect(log?.details.need).toBe(100);
  }, 180_000);
});
