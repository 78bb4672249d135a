import { catalogColumns, type CatalogColumn } from '../../shared/sheet-layout.ts';
import {
  catalogRowHash,
  isBlankRow,
  parseCatalogRow,
  sheetOwnedCatalogFields,
  type CatalogRowFields,
} from '../../shared/sheet-row-schema.ts';
import { rowRecord, type Grid } from './worksheet.ts';

/** Notes the add-on writes start with this mark; other notes (the server's, the admin's) are left alone. */
export const validationMark = '⚠ ';

export type CatalogGrid = Grid<CatalogColumn>;

export interface CheckedRow {
  /** 0-based index into the rows checked. */
  index: number;
  id: string;
  fields: CatalogRowFields | null;
  errors: Partial<Record<CatalogColumn, string>>;
  hash: string | null;
}

/** Validates rows with the shared schema; blank rows are skipped. */
export function checkRows(rows: unknown[][], columns: CatalogGrid['columns'], ids: unknown[], now: Date): CheckedRow[] {
  const out: CheckedRow[] = [];
  rows.forEach((row, index) => {
    const raw = rowRecord(row, columns);
    if (isBlankRow(raw)) return;
    const id = String(ids[index] ?? '').trim().toLowerCase();
    const parsed = parseCatalogRow(raw, now);
    if (parsed.ok) out.push({ index, id, fields: parsed.fields, errors: {}, hash: catalogRowHash(parsed.fields) });
    else out.push({ index, id, fields: null, errors: parsed.errors, hash: null });
  });
  return out;
}

/**
 * The notes the checked rows should carry: each invalid cell gets its Russian message, a cell
 * we marked before and that is now valid is cleared. Returns null when nothing changes, so
 * the caller writes notes only when needed (one setNotes call).
 */
export function notesFor(
  checked: Array<Pick<CheckedRow, 'index' | 'errors'>>,
  notes: string[][],
  columns: CatalogGrid['columns'],
): string[][] | null {
  let changed = false;
  const next = notes.map((row) => row.slice());
  const owned = sheetOwnedCatalogFields.filter((field) => columns[field] !== undefined);
  for (const row of checked) {
    const line = next[row.index];
    if (!line) continue;
    for (const field of owned) {
      const col = columns[field] as number;
      const error = row.errors[field];
      const current = line[col] ?? '';
      const wanted = error ? validationMark + error : current.startsWith(validationMark) ? '' : current;
      if (wanted !== current) {
        line[col] = wanted;
        changed = true;
      }
    }
  }
  return changed ? next : null;
}

/** Header cells that are missing from the catalog, by the Russian header text. */
export function missingCatalogHeaders(columns: CatalogGrid['columns']): string[] {
  return (Object.keys(catalogColumns) as CatalogColumn[]).filter((key) => columns[key] === undefined).map((key) => catalogColumns[key]);
}
