import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSheetSync, type SheetSync } from '../../server/sheet/sheet-sync-service.ts';
import { transports } from '../support/databases.ts';

const id = '11111111-2222-4333-8444-555555555555';
const row = (fields: Record<string, unknown>) => ({
  id,
  fields: { title: 'Abbey Road', artist: 'The Beatles', genre: 'Rock', condition: 'NM', price: 5000, status: 'available', ...fields },
});

describe.each(transports)('sheet sync SQL on %s', (_name, open) => {
  let database: Awaited<ReturnType<typeof open>>;
  let sync: SheetSync;
  beforeAll(async () => {
    database = await open();
    sync = createSheetSync({ db: database.db });
  });
  afterAll(async () => database?.close());

  it('writes only the fields the sheet changed, so a stale cell never overwrites a newer server value', async () => {
    await sync.push({ rows: [row({})], reason: 'edit', ack: [] });
    // The server (AI) writes a description the sheet does not have yet.
    await database.sql(`update records set description = 'AI text' where id = $1`, [id]);
    const pushed = await sync.push({ rows: [row({ price: 5500 })], reason: 'edit', ack: [] });
    expect(pushed.accepted).toBe(1);
    const [record] = await database.sql<{ price: string; description: string }>('select price, description from records where id = $1', [id]);
    expect(Number(record?.price)).toBe(5500);
    expect(record?.description).toBe('AI text');
  });

  it('refuses an invalid row with a Russian message and changes nothing', async () => {
    const pushed = await sync.push({ rows: [row({ price: -1 })], reason: 'edit', ack: [] });
    expect(pushed.rejected[0]?.errors.price).toMatch(/Цена/);
    const [record] = await database.sql<{ price: string }>('select price from records where id = $1', [id]);
    expect(Number(record?.price)).toBe(5500);
  });

  it('acknowledged outbox writes update the snapshot and a reconcile asks for the row again', async () => {
    await database.sql(`select sheet_outbox_push('set_fields', 'Справочник', $1::uuid, '{"fields":{"description":"AI text"},"notes":{}}')`, [id]);
    const { ops } = await sync.pull([]);
    expect(ops).toHaveLength(1);
    await sync.ack(ops.map((op) => op.id));
    const [state] = await database.sql<{ fields: Record<string, unknown>; hash: string | null }>('select fields, hash from sheet_row_state where record_id = $1', [id]);
    expect(state?.fields.description).toBe('AI text');
    expect(state?.hash).toBeNull();
    const answer = await sync.reconcile({ rows: [{ id, hash: 'whatever' }], ack: [] });
    expect(answer.need).toEqual([id]);
  });

  it('a reconcile without the row soft-deletes the record and logs the step', async () => {
    const answer = await sync.reconcile({ rows: [], ack: [] });
    expect(answer.deleted).toBe(1);
    const [record] = await database.sql<{ status: string }>('select status from records where id = $1', [id]);
    expect(record?.status).toBe('deleted');
    const last = await sync.lastSync();
    expect(last?.kind).toBe('reconcile');
  });
});
