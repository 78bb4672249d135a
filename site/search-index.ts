import type { RecordStatus } from '../shared/record-status.ts';

/**
 * The client-side search index (/search-index.json): one compact row per public record, the
 * words left for the browser to derive with shared/search-key.ts (smaller to download than
 * precomputed words, and a millisecond's work for thousands of records).
 */
export type IndexRow = [number: number, slug: string, artist: string, title: string, year: number | null, genre: string | null, status: RecordStatus, price: number | null, waiting: number, image: string | null];

export interface SearchIndex {
  /** Bumped when the row layout changes, so an old cached index is not misread. */
  v: 1;
  rows: IndexRow[];
}

export type IndexedRecord = { number: number; slug: string; artist: string; title: string; year: number | null; genre: string | null; status: RecordStatus; price: number | null; preorder: { count: number }; image_url: string | null };

export const indexRow = (r: IndexedRecord): IndexRow => [r.number, r.slug, r.artist, r.title, r.year, r.genre, r.status, r.price, r.preorder.count, r.image_url];

export function buildSearchIndex(records: IndexedRecord[]): SearchIndex {
  return { v: 1, rows: records.map(indexRow) };
}

/** A row back as the fields a result card needs. */
export function indexRecord(row: IndexRow) {
  const [number, slug, artist, title, year, genre, status, price, waiting, image] = row;
  return { number, slug, artist, title, year, genre, status, price, waiting, image };
}
