import type { ActiveStatus, RecordStatus } from './record-status.ts';

/**
 * One definition of a record: every column of the `records` table, and for the catalog fields
 * the rules every writer applies — the sheet row schema (also inside the Apps Script add-on), the
 * admin API, the bot and the website's search requests all build their validation from this table
 * (record-field-schemas.ts), and the database enforces the same limits again (check constraints
 * and the records_check trigger, supabase/migrations/20261201002000_record_fields.sql).
 * test/records/record-fields.test.ts compares this table with the table's columns and with what
 * the SQL functions accept and produce, so a field cannot be forgotten anywhere silently.
 * The rules in prose: docs/record-fields.md.
 */

/** Who writes a field: the admin (sheet, bot, admin API), or the admin and the AI while it is empty. */
export type FieldOwner = 'admin' | 'admin_or_ai';

interface FieldBase {
  owner: FieldOwner;
  /** Where GET /api/records shows it ('preorder.minimum' is nested); null: never shown publicly. */
  api: string | null;
  /** Needed before the record is on sale (available, reserved, sold): buyers and offers rely on it. */
  forSale?: true;
}
export interface TextRule extends FieldBase {
  kind: 'text';
  min: number;
  max: number;
  required?: true;
  /** Keeps line breaks and tabs (text-normalize.ts). */
  multiline?: true;
}
export interface UrlRule extends FieldBase {
  kind: 'url';
  max: number;
}
export interface NumberRule extends FieldBase {
  kind: 'integer' | 'money';
  min: number;
  max: number;
  /** The table's default when the field is left empty. */
  default?: number;
}
/** A release year: from min up to next year, computed when a value is checked (maxRecordYear). */
export interface YearRule extends FieldBase {
  kind: 'year';
  min: number;
}
export interface StatusRule extends FieldBase {
  kind: 'status';
  default: ActiveStatus;
}
export type FieldRule = TextRule | UrlRule | NumberRule | YearRule | StatusRule;

/**
 * The catalog fields: what the admin owns (the sheet's columns of the same keys), in the sheet's
 * order. The order is part of the sheet's row hash (catalogRowHash): append, never reorder.
 */
export const recordFields = {
  title: { kind: 'text', min: 1, max: 200, required: true, owner: 'admin', api: 'title' },
  artist: { kind: 'text', min: 1, max: 100, required: true, owner: 'admin', api: 'artist' },
  genre: { kind: 'text', min: 1, max: 100, forSale: true, owner: 'admin', api: 'genre' },
  year: { kind: 'year', min: 1900, owner: 'admin', api: 'year' },
  label: { kind: 'text', min: 1, max: 200, owner: 'admin_or_ai', api: 'label' },
  country: { kind: 'text', min: 1, max: 100, owner: 'admin_or_ai', api: 'country' },
  condition: { kind: 'text', min: 1, max: 100, forSale: true, owner: 'admin', api: 'condition' },
  price: { kind: 'money', min: 0, max: 100_000_000, forSale: true, owner: 'admin', api: 'price' },
  photo_url: { kind: 'url', max: 2000, owner: 'admin', api: 'image_url' },
  seller_telegram_id: { kind: 'integer', min: 1, max: Number.MAX_SAFE_INTEGER, owner: 'admin', api: null },
  status: { kind: 'status', default: 'available', owner: 'admin', api: 'status' },
  description: { kind: 'text', min: 1, max: 20_000, multiline: true, owner: 'admin_or_ai', api: 'description' },
  seo_title: { kind: 'text', min: 1, max: 300, owner: 'admin_or_ai', api: 'seo_title' },
  seo_description: { kind: 'text', min: 1, max: 1000, owner: 'admin_or_ai', api: 'seo_description' },
  seo_keywords: { kind: 'text', min: 1, max: 1000, owner: 'admin_or_ai', api: 'seo_keywords' },
  preorder_min: { kind: 'integer', min: 1, max: 100_000, default: 10, owner: 'admin', api: 'preorder.minimum' },
} as const satisfies Record<string, FieldRule>;

export type RecordField = keyof typeof recordFields;
export const recordFieldNames = Object.keys(recordFields) as RecordField[];

/** The fields a record on sale must have (the sheet and the admin API refuse it without them). */
export const forSaleFields = recordFieldNames.filter((f) => (recordFields[f] as FieldRule).forSale);

/** Statuses of a record on sale: buyers see it, offers go out for it. */
export const onSaleStatuses = ['available', 'reserved', 'sold'] as const satisfies readonly ActiveStatus[];
export const isOnSale = (status: string): boolean => (onSaleStatuses as readonly string[]).includes(status);

/** For-sale fields a record (or a row) still lacks for the given status; [] when it may be on sale. */
export function missingForSale(fields: Partial<Record<RecordField, unknown>>, status: string): RecordField[] {
  if (!isOnSale(status)) return [];
  return forSaleFields.filter((f) => fields[f] === null || fields[f] === undefined || fields[f] === '');
}

/** The latest valid release year at a moment: next year (pre-orders of announced records). UTC, as the database counts. */
export const maxRecordYear = (now: Date = new Date()): number => now.getUTCFullYear() + 1;

/**
 * The other columns of `records`: the server writes them. api as in recordFields; null marks
 * internal columns (search index, ranking, soft-delete bookkeeping, who wrote what).
 */
export const recordServerColumns = {
  id: { api: 'id' },
  number: { api: 'number' },
  slug: { api: 'slug' },
  preorder_count: { api: 'preorder.count' },
  last_interest_at: { api: 'preorder.last_interest_at' },
  created_at: { api: 'created_at' },
  updated_at: { api: 'updated_at' },
  verified_count: { api: null },
  field_sources: { api: null },
  search_words: { api: null },
  description_excerpt: { api: null },
  priority: { api: null },
  status_before_delete: { api: null },
  deleted_at: { api: null },
} as const satisfies Record<string, { api: string | null }>;
export type RecordServerColumn = keyof typeof recordServerColumns;

type ValueOf<R> = R extends { kind: 'text' | 'url' } ? string
  : R extends { kind: 'integer' | 'money' | 'year' } ? number
  : R extends { kind: 'status' } ? RecordStatus
  : never;

/** A record's catalog fields as plain data: required ones always set, the rest null when empty. */
export type RecordFieldValues = {
  [F in RecordField]: (typeof recordFields)[F] extends { required: true } | { kind: 'status' } ? ValueOf<(typeof recordFields)[F]> : ValueOf<(typeof recordFields)[F]> | null;
};

/** The catalog fields every view of a record shares (API, sheet row, AI snapshot). */
export type RecordCatalogFields = Pick<RecordFieldValues, 'title' | 'artist' | 'genre' | 'year' | 'label' | 'country' | 'condition' | 'price'>;

/** The texts the AI writes and the admin may own instead. */
export type RecordTextFields = Pick<RecordFieldValues, 'description' | 'seo_title' | 'seo_description' | 'seo_keywords'>;
