import { recordFieldsSchema, type FieldMessages } from './record-field-schemas.ts';
import { recordFieldNames, type RecordField, type RecordFieldValues, maxRecordYear } from './record-fields.ts';
import type { ActiveStatus } from './record-status.ts';
import { catalogColumns, type CatalogColumn } from './sheet-layout.ts';

/**
 * The catalog row rules, run twice: in the sheet by the add-on (an invalid cell gets a note and
 * the row is not sent) and again on the server (nothing unchecked reaches the database).
 * Input is what Sheet.getValues() gives (strings, numbers, Dates, '' for empty) or the
 * normalized fields themselves; output is the normalized fields. The rules are the record's
 * (record-fields.ts), the same the admin API applies; messages are Russian: the admin reads them
 * as cell notes.
 */

/** Catalog fields the admin owns (written from the sheet): every field of the record table, in its order. */
export const sheetOwnedCatalogFields: readonly (RecordField & CatalogColumn)[] = recordFieldNames;
export type SheetOwnedField = RecordField;

export type CatalogRowFields = Omit<RecordFieldValues, 'status'> & { status: ActiveStatus };

export type RowErrors = Partial<Record<SheetOwnedField, string>>;
export type RowParse = { ok: true; fields: CatalogRowFields } | { ok: false; errors: RowErrors };

/** 100 000 000 reads better in a note; a year (2027) stays as it is. */
const grouped = (n: number) => (n < 10_000 ? String(n) : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' '));

/** Cell notes: the column's header, then what is wrong. */
export const sheetFieldMessages: FieldMessages = {
  required: (f) => `${catalogColumns[f]}: обязательное поле`,
  notText: (f) => `${catalogColumns[f]}: ожидается текст`,
  length: (f, min, max) => (min > 1 ? `${catalogColumns[f]}: от ${min} до ${max} символов` : `${catalogColumns[f]}: не длиннее ${max} символов`),
  notNumber: (f) => (f === 'price' ? 'Цена: ожидается число, например 2500' : `${catalogColumns[f]}: ожидается число`),
  notInteger: (f) => `${catalogColumns[f]}: целое число`,
  range: (f, min, max, value) => {
    if (f === 'price') return value < min ? 'Цена: не может быть отрицательной' : `Цена: не больше ${grouped(max)}`;
    return max >= Number.MAX_SAFE_INTEGER ? `${catalogColumns[f]}: не меньше ${min}` : `${catalogColumns[f]}: от ${min} до ${grouped(max)}`;
  },
  notUrl: (f) => `${catalogColumns[f]}: ожидается ссылка http(s)://…`,
  status: (f) => `${catalogColumns[f]}: выберите значение из списка`,
  forSale: (f) => `${catalogColumns[f]}: обязательное поле для пластинки в продаже`,
};

function cellText(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

let cached: { year: number; schema: ReturnType<typeof recordFieldsSchema> } | undefined;

/** The schema for a given moment: the latest valid year is next year. */
export function catalogRowSchema(now: Date = new Date()) {
  const year = maxRecordYear(now);
  if (cached?.year !== year) {
    cached = { year, schema: recordFieldsSchema({ input: 'sheet', messages: sheetFieldMessages, now: () => now }) };
  }
  return cached.schema;
}

/** Validates one row; errors are keyed by field (one message each, the first found). */
export function parseCatalogRow(raw: Partial<Record<string, unknown>>, now?: Date): RowParse {
  const result = catalogRowSchema(now).safeParse(raw);
  if (result.success) return { ok: true, fields: result.data as CatalogRowFields };
  const errors: RowErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'title') as SheetOwnedField;
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** True when every sheet-owned cell of the row is empty (a blank line, not a record). */
export function isBlankRow(raw: Partial<Record<string, unknown>>): boolean {
  return sheetOwnedCatalogFields.every((field) => cellText(raw[field]) === null);
}

/**
 * Content hash of a row's normalized fields for reconcile (id -> hash). Pure JS (cyrb53), so
 * the add-on hashes 10,000 rows without 10,000 Utilities calls and the server gets the same value.
 */
export function catalogRowHash(fields: CatalogRowFields): string {
  const canonical = JSON.stringify(sheetOwnedCatalogFields.map((field) => fields[field]));
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < canonical.length; i++) {
    const ch = canonical.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
