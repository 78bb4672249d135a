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

type IndexedRecord = { number: number; slug: string; artist: string; title: string; year: number | null; genre: string | null; status: RecordStatus; price: number | null; preorder: { count: number }; image_url: string | null };

const indexRow = (r: IndexedRecord): IndexRow => [r.number, r.slug, r.artist, r.title, r.year, r.genre, r.status, r.price, r.preorder.count, r.image_url];

export function buildSearchIndex(records: IndexedRecord[]): SearchIndex {
  return { v: 1, rows: records.map(indexRow) };
}

/**
 * Each row's bytes with the comma before it, made once per record object: the export writes the
 * index after every edit, and a snapshot replaces a record's object only when it changes, so an
 * edit encodes one row and the index is a copy of bytes already made.
 */
const rowBytes = new WeakMap<IndexedRecord, Buffer>();
const indexHead = Buffer.from('{"v":1,"rows":[');
const indexTail = Buffer.from(']}');

/** The index as JSON bytes: the same as JSON.stringify(buildSearchIndex(records)), from memoized rows. */
export function searchIndexJson(records: IndexedRecord[]): Buffer {
  const parts: Buffer[] = [indexHead];
  let length = indexHead.length + indexTail.length;
  for (const r of records) {
    let bytes = rowBytes.get(r);
    if (bytes === undefined) rowBytes.set(r, (bytes = Buffer.from(`,${JSON.stringify(indexRow(r))}`)));
    // The first row goes without its comma (a view, not a copy).
    const part = parts.length === 1 ? bytes.subarray(1) : bytes;
    parts.push(part);
    length += part.length;
  }
  parts.push(indexTail);
  return Buffer.concat(parts, length);
}

/** A row back as the fields a result card needs. */
export function indexRecord(row: IndexRow) {
  const [number, slug, artist, title, year, genre, status, price, waiting, image] = row;
  return { number, slug, artist, title, year, genre, status, price, waiting, image };
}
