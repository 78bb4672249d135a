import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRepository, type CatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { createSheetSync, type SheetSync } from '../../server/sheet/sheet-sync-service.ts';
import { apiFieldMessages, recordFieldsSchema } from '../../shared/record-field-schemas.ts';
import {
  forSaleFields,
  maxRecordYear,
  recordFieldNames,
  recordFields,
  recordServerColumns,
  type FieldRule,
  type RecordField,
} from '../../shared/record-fields.ts';
import { parseCatalogRow, sheetOwnedCatalogFields } from '../../shared/sheet-row-schema.ts';
import { normalizeText } from '../../shared/text-normalize.ts';
import { transports, type TestDatabase } from '../support/databases.ts';
import { at, everyField, keyPaths, sampleValue, unnormalisedTexts } from './record-samples.ts';

const apiSchema = recordFieldsSchema({ input: 'json', messages: apiFieldMessages });
const row = async <T>(database: TestDatabase, sql: string, params?: unknown[]) => (await database.sql<T>(sql, params))[0]!;

describe.each(transports)('one definition of a record on %s', (_name, open) => {
  let database: TestDatabase;
  let catalog: CatalogRepository;
  let sync: SheetSync;
  beforeAll(async () => {
    database = await open();
    catalog = createCatalogRepository(database.db);
    sync = createSheetSync({ db: database.db });
  });
  afterAll(async () => database?.close());

  /** The database's verdict on one record: null when stored, else the SQLSTATE and the field it names. */
  async function sqlVerdict(fields: Record<string, unknown>): Promise<{ code: string; hint?: string } | null> {
    try {
      await catalog.importRecords([{ title: 'Rules', artist: 'Agree', status: 'procurement', ...fields } as never]);
      return null;
    } catch (error) {
      return { code: (error as { code: string }).code, hint: (error as { hint?: string }).hint };
    }
  }

  it('the records table has exactly the columns shared/record-fields.ts lists', async () => {
    const columns = await database.sql<{ column_name: string }>(
      `select column_name from information_schema.columns where table_schema = 'public' and table_name = 'records'`,
    );
    expect(columns.map((c) => c.column_name).sort()).toEqual([...recordFieldNames, ...Object.keys(recordServerColumns)].sort());
  });

  it('the SQL lists of fields, the for-sale rule and the defaults are the shared ones', async () => {
    const sql = await row<{ fields: string[]; for_sale: string[]; sheet: string[]; defaults: Record<string, unknown> }>(database,
      `select record_catalog_fields() as fields, record_for_sale_fields() as for_sale, sheet_owned_fields() as sheet,
              record_field_defaults() as defaults`);
    expect(sql.fields).toEqual(recordFieldNames);
    expect(sql.for_sale).toEqual(forSaleFields);
    expect(sql.sheet).toEqual([...sheetOwnedCatalogFields]);
    const defaults = Object.fromEntries(
      recordFieldNames.flatMap((f) => ('default' in recordFields[f] ? [[f, (recordFields[f] as { default: unknown }).default]] : [])),
    );
    expect(sql.defaults).toEqual(defaults);
  });

  it('a record with every field set comes back whole from the API shape, the AI snapshot and the sheet row', async () => {
    const id = randomUUID();
    const fields = everyField();
    await catalog.importRecords([{ id, ...fields } as never]);

    // GET /api/records/:id: every public field under its public name, and nothing the table does not say is public.
    const publicRecord = (await catalog.get(id)) as unknown as Record<string, unknown>;
    for (const field of recordFieldNames) {
      const path = recordFields[field].api;
      if (path) expect(at(publicRecord, path), field).toEqual(fields[field]);
    }
    const publicPaths = [...Object.values(recordFields), ...Object.values(recordServerColumns)].flatMap((c) => (c.api ? [c.api] : []));
    expect(keyPaths(publicRecord).sort()).toEqual(publicPaths.sort());

    // The AI musicologist sees every catalog field.
    const snapshot = await row<{ s: Record<string, unknown> }>(database, 'select ai_record_snapshot($1::uuid) as s', [id]);
    for (const field of recordFieldNames) expect(snapshot.s[field], field).toEqual(fields[field]);

    // The sheet row the server writes is a valid row of the same fields.
    const values = await row<{ v: Record<string, unknown> }>(database, 'select record_sheet_values(r) as v from records r where id = $1', [id]);
    const parsed = parseCatalogRow(values.v);
    expect(parsed).toEqual({ ok: true, fields });
  });

  it('a sheet row with every field set is stored whole, and a change of every field is written whole', async () => {
    const id = randomUUID();
    const stored = async () => (await row<{ r: Record<string, unknown> }>(database, 'select to_jsonb(r) as r from records r where id = $1', [id])).r;
    for (const variant of [0, 1]) {
      const fields = everyField(variant);
      const pushed = await sync.push({ rows: [{ id, fields }], reason: 'edit', ack: [] });
      expect(pushed.rejected).toEqual([]);
      const record = await stored();
      for (const field of recordFieldNames) expect(record[field], `${field} (variant ${variant})`).toEqual(fields[field]);
      expect(Object.keys(record.field_sources as object).sort()).toEqual([...recordFieldNames].sort());
    }
  });

  it('an import names a field the table does not have instead of dropping it', async () => {
    await expect(catalog.importRecords([{ title: 'Typo', artist: 'Someone', status: 'procurement', titel: 'x' } as never]))
      .rejects.toMatchObject({ code: '22023', hint: 'titel' });
  });

  describe('the limits agree: the sheet, the admin API and the database accept and refuse the same values', () => {
    const cases: Array<[string, boolean, RecordField, unknown]> = [];
    const add = (field: RecordField, value: unknown, accepted: boolean, shown: unknown = value) =>
      cases.push([`${field} = ${JSON.stringify(shown)}`, accepted, field, value]);
    for (const field of recordFieldNames) {
      const rule = recordFields[field] as FieldRule;
      if (rule.kind === 'text' || rule.kind === 'url') {
        // Counted in characters as the database counts them: an emoji is one (two in UTF-16).
        const fill = (n: number) => (rule.kind === 'url' ? `https://x.example/${'🎵'.repeat(n - 18)}` : '🎵'.repeat(n));
        add(field, fill(rule.max), true, `${rule.max} characters`);
        add(field, fill(rule.max + 1), false, `${rule.max + 1} characters`);
      } else if (rule.kind === 'integer' || rule.kind === 'money') {
        add(field, rule.min, true);
        add(field, rule.max, true);
        add(field, rule.min - 1, false);
        if (rule.max < Number.MAX_SAFE_INTEGER) add(field, rule.max + 1, false);
      } else if (rule.kind === 'year') {
        add(field, rule.min, true);
        add(field, maxRecordYear(), true, 'next year');
        add(field, rule.min - 1, false);
        add(field, maxRecordYear() + 1, false, 'the year after next');
      }
    }
    add('photo_url', 'ftp://img.example/x.jpg', false);
    add('status', 'lost', false);

    it.each(cases)('%s: accepted %s', async (_shown, accepted, field, value) => {
      const fields = { title: 'Rules', artist: 'Agree', status: 'procurement', [field]: value };
      expect(parseCatalogRow(fields).ok, 'sheet').toBe(accepted);
      expect(apiSchema.safeParse(fields).success, 'admin API').toBe(accepted);
      const verdict = await sqlVerdict({ [field]: value });
      if (accepted) expect(verdict, 'database').toBeNull();
      else expect(verdict?.code, 'database').toMatch(/^2[23]/);
    });

    it('a record on sale needs genre, condition and price everywhere', async () => {
      for (const missing of forSaleFields) {
        const fields: Record<string, unknown> = { ...everyField(), [missing]: null };
        expect(parseCatalogRow(fields), missing).toMatchObject({ ok: false, errors: { [missing]: expect.stringMatching(/в продаже/) } });
        delete fields[missing];
        expect(apiSchema.safeParse(fields).error?.issues.map((i) => i.path[0]), missing).toEqual([missing]);
        expect(await sqlVerdict(fields), missing).toEqual({ code: '23514', hint: missing });
      }
    });

    it('a title of one character is a title everywhere (an album called "X" exists)', async () => {
      const fields = { title: 'X', artist: 'Y', status: 'procurement' };
      expect(parseCatalogRow(fields).ok).toBe(true);
      expect(apiSchema.safeParse(fields).success).toBe(true);
      expect(await sqlVerdict(fields)).toBeNull();
    });
  });

  it('the database normalises text exactly as shared/text-normalize.ts does', async () => {
    for (const multiline of [false, true]) {
      const sql = await database.sql<{ clean: string | null }>(
        'select vinyl_clean_text(t, $2) as clean from unnest($1::text[]) with ordinality u(t, n) order by n',
        [unnormalisedTexts, multiline],
      );
      expect(sql.map((r) => r.clean ?? ''), multiline ? 'multiline' : 'one line').toEqual(unnormalisedTexts.map((t) => normalizeText(t, multiline)));
    }
  });

  it('text written past the shared schemas is stored normalised, so search and slugs find it', async () => {
    const id = randomUUID();
    await catalog.importRecords([{ id, title: 'Мумии\u0306\u200B Тролль', artist: '\uFEFFМумий  Тролль', status: 'procurement', description: ' one\r\ntwo ' }]);
    const record = await catalog.get(id);
    expect(record).toMatchObject({ title: 'Мумий Тролль', artist: 'Мумий Тролль', description: 'one\ntwo', slug: 'mumiy-troll-mumiy-troll' });
    const found = await catalog.search({ search: 'мумий тролль', status: ['procurement'], limit: 10, offset: 0 });
    expect(found.records.map((r) => r.id)).toContain(id);
  });
});

// The catalog's other columns are classified once too: sampleValue covers every kind of field.
it('every field of the table has a sample value (a new kind of field needs one)', () => {
  for (const field of recordFieldNames) expect(sampleValue(field), field).toBeDefined();
});
