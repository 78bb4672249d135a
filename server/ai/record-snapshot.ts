import type { EnrichableField } from '../../shared/ai-contract.ts';
import type { RecordCatalogFields, RecordTextFields } from '../../shared/record-fields.ts';
import { toPlainLine } from './text/plain-text.ts';

/** A record as the enrichment sees it (ai_record_snapshot() in the ai_jobs migration). */
export interface RecordSnapshot extends RecordCatalogFields, RecordTextFields {
  id: string;
  status: string;
  field_sources: Partial<Record<string, 'admin' | 'ai' | string>>;
}

/**
 * The record's known fields as clean one-line text, the only material prompts and templates use.
 * Title and artist of a search request were typed by a customer: cleaned here, and passed to
 * models only as delimited data (prompts.ts).
 */
export interface RecordFacts extends RecordCatalogFields {
  status: string;
  customerTyped: boolean;
}

const clean = (value: string | null | undefined, max: number) => {
  const line = value ? toPlainLine(value, max) : '';
  return line === '' ? null : line;
};

export function recordFacts(record: RecordSnapshot, filled: { label?: string | null; country?: string | null } = {}): RecordFacts {
  return {
    title: clean(record.title, 200) ?? 'Без названия',
    artist: clean(record.artist, 100) ?? 'Неизвестный исполнитель',
    genre: clean(record.genre, 60),
    year: record.year ?? null,
    label: clean(filled.label ?? record.label, 100),
    country: clean(filled.country ?? record.country, 60),
    condition: clean(record.condition, 60),
    price: record.price === null || record.price === undefined ? null : Number(record.price),
    status: record.status,
    customerTyped: record.status === 'search_request' || record.status === 'procurement',
  };
}

export const isEmpty = (value: string | null | undefined) => value === null || value === undefined || value.trim() === '';

/**
 * Which fields this run should produce. Without force: the empty ones. With force: every text,
 * and the facts that are empty or were filled by the AI (a person's facts are never replaced).
 */
export function fieldsToFill(record: RecordSnapshot, force: boolean): Set<EnrichableField> {
  const wanted = new Set<EnrichableField>();
  for (const field of ['label', 'country'] as const) {
    if (isEmpty(record[field]) || (force && record.field_sources[field] === 'ai')) wanted.add(field);
  }
  for (const field of ['description', 'seo_title', 'seo_description', 'seo_keywords'] as const) {
    if (force || isEmpty(record[field])) wanted.add(field);
  }
  return wanted;
}
