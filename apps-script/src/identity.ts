import { isRecordId } from './worksheet.ts';

/**
 * Row identity is the ID column: it moves with the row when rows are sorted, inserted or moved.
 * A row with content but no valid ID gets a new one; of rows sharing an ID (a copied row) the
 * first keeps it and the others get new ones. Returns the new IDs by row index (0-based).
 */
export function assignIds(ids: unknown[], hasContent: (index: number) => boolean, taken: Set<string> = new Set()): Map<number, string> {
  const assigned = new Map<number, string>();
  const seen = new Set<string>(taken);
  ids.forEach((id, index) => {
    if (!hasContent(index)) return;
    const text = typeof id === 'string' ? id.trim().toLowerCase() : '';
    if (isRecordId(text) && !seen.has(text)) {
      seen.add(text);
      return;
    }
    const fresh = Utilities.getUuid();
    seen.add(fresh);
    assigned.set(index, fresh);
  });
  return assigned;
}

/** Writes new IDs with one setValues over the rows they span (script writes fire no onEdit). */
export function writeIds(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  idColumn: number,
  firstRow: number,
  ids: unknown[],
  assigned: Map<number, string>,
): void {
  if (assigned.size === 0) return;
  const indexes = [...assigned.keys()];
  const from = Math.min(...indexes);
  const to = Math.max(...indexes);
  const block: unknown[][] = [];
  for (let i = from; i <= to; i++) block.push([assigned.get(i) ?? ids[i] ?? '']);
  sheet.getRange(firstRow + from, idColumn + 1, block.length, 1).setValues(block);
  for (const [index, id] of assigned) ids[index] = id;
}
