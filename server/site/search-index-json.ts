import { indexRow, type IndexedRecord } from '../../site/search-index.ts';

// Node only (Buffer): site/search-index.ts is bundled into the browser's script too.

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
  for (const r of records) {
    let bytes = rowBytes.get(r);
    if (bytes === undefined) rowBytes.set(r, (bytes = Buffer.from(`,${JSON.stringify(indexRow(r))}`)));
    // The first row goes without its comma (a view, not a copy).
    parts.push(parts.length === 1 ? bytes.subarray(1) : bytes);
  }
  parts.push(indexTail);
  return Buffer.concat(parts);
}
