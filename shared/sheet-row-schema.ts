import { z } from 'zod';
import type { RecordCatalogFields, RecordTextFields } from './record-fields.ts';
import { statusFromLabel, type ActiveStatus } from './record-status.ts';
import type { CatalogColumn } from './sheet-layout.ts';

/**
 * The catalog row rules, run twice: in the sheet by the add-on (an invalid cell gets a note and
 * the row is not sent) and again on the server (nothing unchecked reaches the database).
 * Input is what Sheet.getValues() gives (strings, numbers, Dates, '' for empty) or the
 * normalized fields themselves; output is the normalized fields. Messages are Russian: the
 * admin reads them as cell notes.
 */

/** Catalog fields the admin owns (written from the sheet); the rest are the server's. */
export const sheetOwnedCatalogFields = [
  'title', 'artist', 'genre', 'year', 'label', 'country', 'condition', 'price', 'photo_url',
  'seller_telegram_id', 'status', 'description', 'seo_title', 'seo_description', 'seo_keywords', 'preorder_min',
] as const satisfies readonly CatalogColumn[];
export type SheetOwnedField = (typeof sheetOwnedCatalogFields)[number];

export interface CatalogRowFields extends RecordCatalogFields, RecordTextFields {
  photo_url: string | null;
  seller_telegram_id: number | null;
  status: ActiveStatus;
  preorder_min: number | null;
}

export type RowErrors = Partial<Record<SheetOwnedField, string>>;
export type RowParse = { ok: true; fields: CatalogRowFields } | { ok: false; errors: RowErrors };

/** Statuses of records on sale: they need everything a buyer sees. */
const onSale: readonly ActiveStatus[] = ['available', 'reserved', 'sold'];

function cellText(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** Numbers typed as text ("1 500,50") count; anything else stays as is so the schema names it. */
function cellNumber(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return value;
  const text = value.replace(/[\s\u00a0]/g, '').replace(',', '.');
  if (text === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : value;
}

const text = (name: string, min: number, max: number) =>
  z.preprocess(
    cellText,
    z.string({ error: `${name}: обязательное поле` })
      .min(min, `${name}: от ${min} до ${max} символов`)
      .max(max, `${name}: от ${min} до ${max} символов`),
  );
const optionalText = (name: string, max: number) =>
  z.preprocess(cellText, z.string({ error: `${name}: ожидается текст` }).max(max, `${name}: не длиннее ${max} символов`).nullable());
const optionalNumber = (schema: z.ZodNumber) => z.preprocess(cellNumber, schema.nullable());

function buildSchema(maxYear: number) {
  return z
    .object({
      title: text('Название', 3, 200),
      artist: text('Исполнитель', 2, 100),
      genre: optionalText('Жанр', 100),
      year: optionalNumber(
        z.number({ error: 'Год: ожидается число' })
          .int('Год: целое число')
          .min(1900, `Год: от 1900 до ${maxYear}`)
          .max(maxYear, `Год: от 1900 до ${maxYear}`),
      ),
      label: optionalText('Лейбл', 200),
      country: optionalText('Страна', 100),
      condition: optionalText('Состояние', 100),
      price: optionalNumber(
        z.number({ error: 'Цена: ожидается число, например 2500' })
          .min(0, 'Цена: не может быть отрицательной')
          .max(100_000_000, 'Цена: слишком большая'),
      ),
      photo_url: z.preprocess(
        cellText,
        z.url({ protocol: /^https?$/, error: 'ФОТО_URL: ожидается ссылка http(s)://…' }).max(2000, 'ФОТО_URL: слишком длинная ссылка').nullable(),
      ),
      seller_telegram_id: optionalNumber(z.number({ error: 'Продавец_TG_ID: ожидается число' }).int('Продавец_TG_ID: целое число').positive('Продавец_TG_ID: положительное число')),
      status: z.preprocess(
        (v) => cellText(v) ?? 'available',
        z.string().transform((label, ctx) => {
          const status = statusFromLabel(label);
          if (!status) ctx.addIssue({ code: 'custom', message: 'Статус: выберите значение из списка' });
          return status ?? 'available';
        }),
      ),
      description: optionalText('Описание', 20_000),
      seo_title: optionalText('SEO_Заголовок', 300),
      seo_description: optionalText('SEO_Описание', 1000),
      seo_keywords: optionalText('SEO_Ключевые_слова', 1000),
      preorder_min: optionalNumber(z.number({ error: 'Минимум_предзаказов: ожидается число' }).int('Минимум_предзаказов: целое число').min(1, 'Минимум_предзаказов: не меньше 1')),
    })
    .superRefine((row, ctx) => {
      // Search requests and procurement tasks are not on sale yet: only what was searched for is known.
      if (!onSale.includes(row.status)) return;
      const need: Array<[keyof typeof row, string]> = [
        ['genre', 'Жанр: обязательное поле для пластинки в продаже'],
        ['condition', 'Состояние: обязательное поле для пластинки в продаже'],
        ['price', 'Цена: обязательное поле для пластинки в продаже'],
      ];
      for (const [field, message] of need) if (row[field] === null) ctx.addIssue({ code: 'custom', path: [field], message });
    });
}

let cached: { year: number; schema: ReturnType<typeof buildSchema> } | undefined;

/** The schema for a given moment: the latest valid year is next year. */
export function catalogRowSchema(now: Date = new Date()) {
  const maxYear = now.getFullYear() + 1;
  if (cached?.year !== maxYear) cached = { year: maxYear, schema: buildSchema(maxYear) };
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
