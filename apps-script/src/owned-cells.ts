import { Sheets, serverOwnedCatalogColumns } from '../../shared/sheet-layout.ts';
import type { OwnedValues } from '../../shared/sheet-sync-contract.ts';
import { sameCell, toCell } from './outbox-apply.ts';
import type { CatalogGrid } from './catalog-rows.ts';

const ownedKeys = serverOwnedCatalogColumns.filter((key) => key !== 'id');

function ownedCell(key: (typeof ownedKeys)[number], owned: OwnedValues): unknown {
  if (key === 'participants') return owned.participants === '[]' ? '' : owned.participants;
  return toCell(Sheets.Catalog, key, owned[key]);
}

/**
 * Puts the server's values back into server-owned cells (pre-order count, participants, last
 * interest) of the given rows: at most one setValues per column, only for a column that differs.
 */
export function restoreOwned(
  sheet: GoogleAppsScript.Spreadsheet.Sheet,
  rows: unknown[][],
  firstRow: number,
  columns: CatalogGrid['columns'],
  ids: unknown[],
  owned: OwnedValues[],
): void {
  if (owned.length === 0 || rows.length === 0) return;
  const indexOf = new Map<string, number>();
  ids.forEach((id, index) => typeof id === 'string' && indexOf.set(id.toLowerCase(), index));
  for (const key of ownedKeys) {
    const col = columns[key];
    if (col === undefined) continue;
    const column = rows.map((row) => [row[col]]);
    let changed = false;
    for (const entry of owned) {
      const index = indexOf.get(entry.id.toLowerCase());
      const cell = column[index ?? -1];
      if (!cell) continue;
      const wanted = ownedCell(key, entry);
      if (!sameCell(cell[0], wanted)) {
        cell[0] = wanted;
        changed = true;
      }
    }
    if (changed) sheet.getRange(firstRow, col + 1, column.length, 1).setValues(column);
  }
}
