import { describe, expect, it } from 'vitest';
import { enrichableFields } from '../../shared/ai-contract.ts';
import { recordsQuerySchema } from '../../shared/catalog-contract.ts';
import { adminCreateRecordSchema, searchRequestSchema } from '../../shared/demand-contract.ts';
import { queryNumber } from '../../shared/query-number.ts';
import { recordFieldNames, recordFields } from '../../shared/record-fields.ts';
import { parseCatalogRow } from '../../shared/sheet-row-schema.ts';
import { normalizeText } from '../../shared/text-normalize.ts';

const row = (fields: Record<string, unknown>) => ({ title: 'Abbey Road', artist: 'The Beatles', genre: 'Rock', condition: 'NM', price: 5000, ...fields });

describe('the shared record schemas', () => {
  it('the latest valid year is next year at the moment of validation, not when the code was loaded', () => {
    expect(parseCatalogRow(row({ year: 2027 }), new Date('2026-06-01T00:00:00Z')).ok).toBe(true);
    expect(parseCatalogRow(row({ year: 2027 }), new Date('2025-06-01T00:00:00Z'))).toEqual({ ok: false, errors: { year: 'Год: от 1900 до 2026' } });
    const api = () => adminCreateRecordSchema.safeParse({ ...row({}), year: new Date().getUTCFullYear() + 2 });
    expect(api().error?.issues[0]).toMatchObject({ path: ['year'], message: `expected a number from 1900 to ${new Date().getUTCFullYear() + 1}` });
  });

  it('the sheet speaks Russian in cell notes, the API English, from the same rules', () => {
    expect(parseCatalogRow(row({ title: 'T'.repeat(201), price: -1, photo_url: 'файл.jpg' }))).toEqual({
      ok: false,
      errors: { title: 'Название: не длиннее 200 символов', price: 'Цена: не может быть отрицательной', photo_url: 'ФОТО_URL: ожидается ссылка http(s)://…' },
    });
    expect(parseCatalogRow(row({ genre: '', status: '🟢 Available' }))).toEqual({ ok: false, errors: { genre: 'Жанр: обязательное поле для пластинки в продаже' } });
    const api = adminCreateRecordSchema.safeParse({ ...row({}), title: 'T'.repeat(201), price: -1 });
    expect(api.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['title', 'expected at most 200 characters'],
      ['price', 'expected a number from 0 to 100000000'],
    ]);
  });

  it('sheet cells keep their conveniences: numbers typed as text, status labels, an empty status is available', () => {
    const parsed = parseCatalogRow(row({ price: '1 500,50', year: '1969', status: '' }));
    expect(parsed).toMatchObject({ ok: true, fields: { price: 1500.5, year: 1969, status: 'available' } });
    expect(parseCatalogRow(row({ status: '🟡 Procurement Task', genre: '', price: '' }))).toMatchObject({ ok: true, fields: { status: 'procurement', genre: null, price: null } });
  });

  it('a search request carries the title and artist rules of a record, normalised', () => {
    const parsed = searchRequestSchema.parse({ title: ' X\u200B ', artist: 'Мумии\u0306 Тролль', customer_id: ' s1 ' });
    expect(parsed).toMatchObject({ title: 'X', artist: 'Мумий Тролль', customer_id: 's1' });
    expect(searchRequestSchema.safeParse({ title: '\u200B', artist: 'A', customer_id: 's' }).error?.issues[0]?.path).toEqual(['title']);
  });

  it('query numbers take plain decimal notation only', () => {
    const price = queryNumber({ min: 0, max: 1000 });
    for (const ok of ['0', '10', '99.50', '1000']) expect(price.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['0x10', '1e2', ' 5', '5 ', '5abc', '', 'Infinity', 'NaN', '+5', '.5', '1001', '-1']) {
      expect(price.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    expect(queryNumber({ min: 0, max: 10, integer: true }).safeParse('5.0').success).toBe(false);
    expect(recordsQuerySchema.parse({ search: 'Abbey\u200B  Road', limit: '5' })).toMatchObject({ search: 'Abbey Road', limit: 5, offset: 0 });
  });

  it('text normalisation: NFC, invisible and control characters gone, line breaks kept only in long texts', () => {
    expect(normalizeText('Мумии\u0306\u200B\u00A0 Тролль\t')).toBe('Мумий Тролль');
    expect(normalizeText(' first\r\n\tsecond\u2028', true)).toBe('first\n\tsecond');
    expect(normalizeText('first\r\nsecond')).toBe('first second');
    expect(normalizeText('\uFEFF\u200B')).toBe('');
  });

  it('the AI fills exactly the fields the table gives to the admin or the AI', () => {
    expect([...enrichableFields]).toEqual(recordFieldNames.filter((f) => recordFields[f].owner === 'admin_or_ai'));
  });
});
