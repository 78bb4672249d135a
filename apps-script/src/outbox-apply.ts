import { taskStateSheetLabels, type ProcurementTaskState } from '../../shared/procurement-task-contract.ts';
import { statusLabels, type ActiveStatus } from '../../shared/record-status.ts';
import { Sheets, sheetColumns } from '../../shared/sheet-layout.ts';
import type { OutboxOp } from '../../shared/sheet-sync-contract.ts';
import { ensureWorksheet } from './setup-sheets.ts';
import { appliedOps, rememberApplied } from './settings.ts';
import { readGrid } from './worksheet.ts';

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** How a value from the server is written into a cell. */
export function toCell(sheetName: string, key: string, value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (sheetName === Sheets.Catalog && key === 'status' && typeof value === 'string') {
    return statusLabels[value as ActiveStatus] ?? value;
  }
  if (sheetName === Sheets.AdminEvents && key === 'task_status' && typeof value === 'string') {
    return taskStateSheetLabels[value as ProcurementTaskState] ?? value;
  }
  if (typeof value === 'string' && isoTime.test(value)) return new Date(value);
  if (typeof value === 'object' && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

export function sameCell(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    const ta = a instanceof Date ? a.getTime() : Date.parse(String(a));
    const tb = b instanceof Date ? b.getTime() : Date.parse(String(b));
    return ta === tb;
  }
  return String(a ?? '') === String(b ?? '');
}

function applyToSheet(sheetName: string, ops: OutboxOp[], skip: Set<number>): void {
  const headers = (sheetColumns as Record<string, Record<string, string>>)[sheetName];
  if (!headers) return; // a worksheet this add-on does not manage: nothing it could write
  const sheet = ensureWorksheet(sheetName);
  const grid = readGrid(sheet, headers);
  const idCol = grid.columns.id;
  const rowOf = new Map<string, number>();
  if (idCol !== undefined) grid.rows.forEach((row, i) => row[idCol] && rowOf.set(String(row[idCol]).toLowerCase(), i));
  // The server knows a Настройки_уведомлений row by its type (it never sees the row's ID): an
  // append_row of a template updates the row of that type (the admin bot's template edits).
  const typeCol = sheetName === Sheets.Templates ? grid.columns.type : undefined;
  const typeKey = (type: unknown) => `type:${String(type ?? '').trim()}`;
  if (typeCol !== undefined) grid.rows.forEach((row, i) => String(row[typeCol] ?? '').trim() && rowOf.set(typeKey(row[typeCol]), i));
  const width = Math.max(grid.width, ...Object.values(grid.columns).map((c) => (c as number) + 1));

  const setCell = (index: number, key: string, value: unknown) => {
    const col = grid.columns[key];
    const row = grid.rows[index];
    if (col === undefined || !row) return;
    const cell = toCell(sheetName, key, value);
    if (sameCell(row[col], cell)) return;
    sheet.getRange(index + 2, col + 1).setValue(cell);
    row[col] = cell;
  };

  for (const op of ops) {
    if (skip.has(op.id)) continue;
    if (op.op === 'append_row') {
      const values = op.payload.values ?? {};
      const id = typeof values.id === 'string' ? values.id.toLowerCase() : typeCol !== undefined && values.type ? typeKey(values.type) : undefined;
      const existing = id ? rowOf.get(id) : undefined;
      if (existing !== undefined) {
        for (const [key, value] of Object.entries(values)) setCell(existing, key, value);
        continue;
      }
      const row: unknown[] = new Array(width).fill('');
      for (const [key, value] of Object.entries(values)) {
        const col = grid.columns[key];
        if (col !== undefined) row[col] = toCell(sheetName, key, value);
      }
      sheet.getRange(grid.rows.length + 2, 1, 1, width).setValues([row]);
      grid.rows.push(row);
      if (id) rowOf.set(id, grid.rows.length - 1);
    } else {
      const index = op.record_id ? rowOf.get(op.record_id.toLowerCase()) : undefined;
      if (index === undefined) continue; // the row is gone from the sheet: nothing to set
      for (const [key, value] of Object.entries(op.payload.fields ?? {})) setCell(index, key, value);
      for (const [key, note] of Object.entries(op.payload.notes ?? {})) {
        const col = grid.columns[key];
        if (col !== undefined) sheet.getRange(index + 2, col + 1).setNote(note ?? '');
      }
    }
  }
}

/**
 * Applies waiting outbox operations (the caller holds the script lock) and returns the ids to
 * acknowledge. Idempotent: append_row with an ID upserts, set_fields sets the same values again,
 * and ids applied before (an acknowledgement lost on the way) are skipped.
 */
export function applyOutbox(ops: OutboxOp[]): number[] {
  if (ops.length === 0) return [];
  const skip = appliedOps();
  const bySheet = new Map<string, OutboxOp[]>();
  for (const op of ops) bySheet.set(op.sheet, [...(bySheet.get(op.sheet) ?? []), op]);
  for (const [sheetName, list] of bySheet) applyToSheet(sheetName, list, skip);
  const ids = ops.map((op) => op.id);
  rememberApplied(ids.filter((id) => !skip.has(id)));
  return ids;
}
