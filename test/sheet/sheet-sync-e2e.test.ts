import { afterEach, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { Sheets } from '../../shared/sheet-layout.ts';
import { catalogKeys, catalogRow, col, label, startSheetWorld, type SheetWorld } from './support/sheet-world.ts';

const idIndex = catalogKeys.indexOf('id');
const titleIndex = catalogKeys.indexOf('title');

describe('sheet sync through the built add-on and the real server', () => {
  let world: SheetWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('an edited cell is visible in GET /api/records/:id after the edit returns', async () => {
    world = await startSheetWorld([catalogRow()]);
    const id = await world.idAt(2);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await world.emu.edit(Sheets.Catalog, `${col('price')}2`, 4200);
    const { status, body } = await world.server.get(`/api/records/${id}`);
    expect(status).toBe(200);
    expect(body.price).toBe(4200);
    const [record] = await world.db.sql<{ field_sources: Record<string, string> }>('select field_sources from records where id = $1', [id]);
    expect(record?.field_sources.price).toBe('admin');
  });

  it('a paste of 500 rows publishes all 500 in one request', async () => {
    world = await startSheetWorld([catalogRow()]);
    const before = await world.emu.urlFetchCount();
    const rows = Array.from({ length: 500 }, (_, i) => catalogRow({ title: `Pasted album ${i}`, price: 100 + i }).slice(0, idIndex));
    await world.emu.paste(Sheets.Catalog, 'A3', rows);
    // One push for the whole paste (plus, at most, the acknowledgement of outbox ops it brought back).
    expect((await world.emu.urlFetchCount()) - before).toBeLessThanOrEqual(2);
    const pushes = await world.db.sql<{ rows_in: number }>(`select rows_in from sheet_sync_log where kind = 'push:edit'`);
    expect(pushes.map((p) => p.rows_in)).toEqual([500]);
    const sheet = await world.catalog();
    const ids = sheet.slice(1).map((row) => String(row[idIndex]));
    expect(new Set(ids).size).toBe(500);
    const [count] = await world.db.sql<{ n: number }>(`select count(*)::int as n from records where deleted_at is null and title like 'Pasted album %'`);
    expect(count?.n).toBe(500);
    const { body } = await world.server.get(`/api/records/${ids[499]}`);
    expect(body.title).toBe('Pasted album 499');
  });

  it('sorting the sheet changes no record identity', async () => {
    world = await startSheetWorld(['Zebra', 'Alpha', 'Mango'].map((title) => catalogRow({ title })));
    const identity = async () => new Map((await world!.catalog()).map((row) => [String(row[titleIndex]), String(row[idIndex])]));
    const before = await identity();
    await world.emu.sortRows(Sheets.Catalog, titleIndex + 1, true);
    expect((await world.catalog()).map((row) => row[titleIndex])).toEqual(['Alpha', 'Mango', 'Zebra']);
    await world.emu.clickMenu('Винил', 'Синхронизировать сейчас');
    expect(await identity()).toEqual(before);
    for (const [title, id] of before) expect((await world.server.get(`/api/records/${id}`)).body.title).toBe(title);
  });

  it('a deleted row hides its record (soft delete, history kept)', async () => {
    world = await startSheetWorld([catalogRow({ title: 'Keep me' }), catalogRow({ title: 'Delete me' })]);
    const gone = await world.idAt(3);
    await world.emu.deleteRows(Sheets.Catalog, 3, 1);
    expect((await world.server.get(`/api/records/${gone}`)).status).toBe(404);
    const [row] = await world.db.sql<{ status: string; deleted_at: string | null }>('select status, deleted_at from records where id = $1', [gone]);
    expect(row?.status).toBe('deleted');
    expect(row?.deleted_at).not.toBeNull();
    expect((await world.server.get(`/api/records/${await world.idAt(2)}`)).status).toBe(200);
  });

  it('100 edits made while the server is down all arrive with the next reconcile', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => catalogRow({ title: `Album ${i}`, price: 1000 }));
    world = await startSheetWorld(rows);
    await world.server.down();
    for (let i = 0; i < 100; i++) await world.emu.edit(Sheets.Catalog, `${col('price')}${i + 2}`, 2000 + i);
    const failed = (await world.emu.executions()).filter((e) => e.fn === 'handleEdit');
    expect(failed.length).toBeGreaterThanOrEqual(100);
    await world.server.up();
    await world.emu.runFunction('handleTick');
    const prices = await world.db.sql<{ title: string; price: string }>(`select title, price from records where title like 'Album %'`);
    expect(prices).toHaveLength(100);
    for (const { title, price } of prices) expect(Number(price)).toBe(2000 + Number(title.replace('Album ', '')));
  });

  it('a request with a bad signature gets 401 and changes nothing', async () => {
    world = await startSheetWorld([catalogRow({ price: 1500 })]);
    const id = await world.idAt(2);
    const props = await world.emu.getScriptProperties();
    await world.emu.setScriptProperties({ ...props, SHEET_SECRET: 'a-wrong-secret-of-enough-length' });
    await world.emu.edit(Sheets.Catalog, `${col('price')}2`, 9999);
    expect((await world.server.get(`/api/records/${id}`)).body.price).toBe(1500);
    const errors = JSON.parse((await world.emu.getScriptProperties()).LAST_ERRORS ?? '[]') as Array<{ message: string }>;
    expect(errors.at(-1)?.message).toMatch(/подпись/);
    const response = await fetch(`${world.server.url}/api/sheet/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sheet-timestamp': String(Date.now()), 'x-sheet-nonce': 'n'.repeat(20), 'x-sheet-signature': '0'.repeat(64) },
      body: JSON.stringify({ rows: [{ id, fields: { title: 'Forged', artist: 'Nobody', status: 'sold' } }] }),
    });
    expect(response.status).toBe(401);
    expect((await world.server.get(`/api/records/${id}`)).body.title).toBe('Kind of Blue');
  });

  it('an invalid price gets a Russian note and is not published; fixing it clears the note and publishes', async () => {
    world = await startSheetWorld([catalogRow()]);
    await world.emu.paste(Sheets.Catalog, 'A3', [catalogRow({ title: 'Bad price', price: -5 }).slice(0, idIndex)]);
    const priceCol = catalogKeys.indexOf('price');
    expect((await world.emu.notes(Sheets.Catalog))[2]?.[priceCol]).toMatch(/Цена: не может быть отрицательной/);
    const id = await world.idAt(3);
    expect((await world.server.get(`/api/records/${id}`)).status).toBe(404);
    await world.emu.edit(Sheets.Catalog, `${col('price')}3`, 2500);
    expect((await world.emu.notes(Sheets.Catalog))[2]?.[priceCol] ?? '').toBe('');
    expect((await world.server.get(`/api/records/${id}`)).body.price).toBe(2500);
  });

  it('an outbox append applied twice leaves one row', async () => {
    world = await startSheetWorld([catalogRow()]);
    const id = '6f1c1a52-9a43-4f3c-9f0e-2d4d1f0b8a11';
    await world.db.sql(`insert into records (id, title, artist, status) values ($1, 'The Wall', 'Pink Floyd', 'search_request')`, [id]);
    await world.db.sql(`select sheet_outbox_push('append_row', 'Справочник', $1::uuid, $2::jsonb)`, [
      id,
      JSON.stringify({ values: { id, title: 'The Wall', artist: 'Pink Floyd', status: 'search_request', preorder_count: 1 } }),
    ]);
    await world.emu.runFunction('handleTick');
    // Deliver it again as if the acknowledgement had been lost, and forget it was applied.
    await world.db.sql('update sheet_outbox set acked_at = null');
    const props = await world.emu.getScriptProperties();
    await world.emu.setScriptProperties({ ...props, APPLIED_OPS: '[]' });
    await world.emu.runFunction('handleTick');
    const rows = (await world.catalog()).filter((row) => row[idIndex] === id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[catalogKeys.indexOf('status')]).toBe(label('search_request'));
    const [op] = await world.db.sql<{ acked_at: string | null }>('select acked_at from sheet_outbox');
    expect(op?.acked_at).not.toBeNull();
    // The appended row is now the sheet's: a reconcile neither deletes nor duplicates it.
    await world.emu.clickMenu('Винил', 'Синхронизировать сейчас');
    expect((await world.server.get(`/api/records/${id}`)).status).toBe(200);
  });

  it('«Настроить листы» seeds the offer template, and the admin’s edit of it reaches the server at once', async () => {
    world = await startSheetWorld([catalogRow()]);
    const stored = async () =>
      (await world!.db.sql<{ body: string; active: boolean }>(`select body, active from notification_templates where type = 'special_offer'`))[0];
    const sheet = await world.emu.values(Sheets.Templates);
    expect(sheet[1]?.[0]).toBe('special_offer');
    expect((await stored())?.body).toContain('{discount_code}');
    await world.emu.edit(Sheets.Templates, 'C2', 'Для вас {artist} — {title} за {discount_price}, код {discount_code}');
    expect(await stored()).toEqual({ body: 'Для вас {artist} — {title} за {discount_price}, код {discount_code}', active: true });
    await world.emu.edit(Sheets.Templates, 'D2', 'нет');
    expect((await stored())?.active).toBe(false);
  });

  it('setting 🟢 Available in the sheet creates the waiting customers’ offers and queues their messages', async () => {
    world = await startSheetWorld([catalogRow({ status: label('procurement'), price: 6000, description: 'Описание' })]);
    const id = await world.idAt(2);
    await createCatalogRepository(world.db.db).registerInterest(id, 'tg:501');
    await world.emu.edit(Sheets.Catalog, `${col('status')}2`, label('available'));
    const offers = await world.db.sql<{ chat_id: string; price: string }>('select chat_id, price from offers where record_id = $1', [id]);
    expect(offers.map((o) => [Number(o.chat_id), Number(o.price)])).toEqual([[501, 4500]]);
    const [queued] = await world.db.sql<{ n: string }>(`select count(*) as n from telegram_deliveries where kind = 'offer' and chat_id = 501`);
    expect(Number(queued?.n)).toBe(1);
  });

  it('a sheet edit of a field cancels the waiting server write to it and makes the field the admin’s', async () => {
    world = await startSheetWorld([catalogRow()]);
    const id = await world.idAt(2);
    await world.db.sql(`update records set description = 'AI text', field_sources = field_sources || '{"description":"ai"}' where id = $1`, [id]);
    await world.db.sql(`select sheet_outbox_push('set_fields', 'Справочник', $1::uuid, $2::jsonb)`, [
      id,
      JSON.stringify({ fields: { description: 'AI text', seo_title: 'AI seo' }, notes: {} }),
    ]);
    await world.emu.edit(Sheets.Catalog, `${col('description')}2`, 'Текст администратора');
    // The push answer carried the op without the admin's field: only seo_title reached the sheet.
    const row = (await world.catalog())[0]!;
    expect(row[catalogKeys.indexOf('description')]).toBe('Текст администратора');
    expect(row[catalogKeys.indexOf('seo_title')]).toBe('AI seo');
    const [record] = await world.db.sql<{ description: string; field_sources: Record<string, string> }>(
      'select description, field_sources from records where id = $1', [id]);
    expect(record?.description).toBe('Текст администратора');
    expect(record?.field_sources.description).toBe('admin');
  });

  it('a hand edit of a server-owned cell is put back', async () => {
    world = await startSheetWorld([catalogRow()]);
    const id = await world.idAt(2);
    await world.emu.edit(Sheets.Catalog, `${col('preorder_count')}2`, 99);
    expect((await world.catalog())[0]?.[catalogKeys.indexOf('preorder_count')]).toBe(0);
    await world.emu.edit(Sheets.Catalog, `${col('id')}2`, 'typed over');
    expect(await world.idAt(2)).toBe(id);
  });

  it('a copied row with a duplicate ID gets a new ID and becomes its own record', async () => {
    world = await startSheetWorld([catalogRow({ title: 'Original' })]);
    const original = (await world.catalog())[0]!;
    await world.emu.paste(Sheets.Catalog, 'A3', [original.map((cell, i) => (i === titleIndex ? 'Copy' : cell))]);
    const copyId = await world.idAt(3);
    expect(copyId).not.toBe(original[idIndex]);
    expect((await world.server.get(`/api/records/${copyId}`)).body.title).toBe('Copy');
    expect((await world.server.get(`/api/records/${String(original[idIndex])}`)).body.title).toBe('Original');
  });
});
