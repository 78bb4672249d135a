import { Sheets, catalogColumns } from '../../shared/sheet-layout.ts';
import { isBlankRow } from '../../shared/sheet-row-schema.ts';
import {
  sheetSyncPaths,
  type OutboxOp,
  type PullResponse,
  type PushResponse,
  type ReconcileResponse,
} from '../../shared/sheet-sync-contract.ts';
import { checkRows, notesFor, type CatalogGrid, type CheckedRow } from './catalog-rows.ts';
import { assignIds, writeIds } from './identity.ts';
import { applyOutbox } from './outbox-apply.ts';
import { restoreOwned } from './owned-cells.ts';
import { pushTaskStates } from './task-states.ts';
import { pushTemplates } from './templates.ts';
import { callServer } from './server-client.ts';
import * as settings from './settings.ts';
import { columnsOf, isRecordId, readGrid, rowRecord } from './worksheet.ts';

/** Rows per push request during a reconcile (about 2 MB of JSON, well under UrlFetch's 50 MB). */
const pushChunk = 5000;

function catalogSheet(): GoogleAppsScript.Spreadsheet.Sheet | null {
  return SpreadsheetApp.getActive().getSheetByName(Sheets.Catalog);
}

function requireIdColumn(columns: CatalogGrid['columns']): number {
  if (columns.id === undefined) throw new Error('В листе «Справочник» нет столбца ID: выполните «Винил» → «Настроить листы».');
  return columns.id;
}

/** Sends acknowledgements now; if that fails they ride on the next request. */
function acknowledge(ids: number[]): void {
  if (ids.length === 0) return;
  try {
    callServer(sheetSyncPaths.ack, { ack: ids });
  } catch {
    settings.setPendingAcks([...settings.pendingAcks(), ...ids]);
  }
}

function takeAcks(): number[] {
  return settings.pendingAcks();
}

function applyAndAck(ops: OutboxOp[]): void {
  const unique = [...new Map(ops.map((op) => [op.id, op])).values()];
  settings.setWaitingOps(unique.length);
  acknowledge(applyOutbox(unique));
}

/** Adds the server's refusals to the notes (it validates with the same schema, so this is rare). */
function noteRejected(block: GoogleAppsScript.Spreadsheet.Range, rows: CheckedRow[], rejected: PushResponse['rejected'], columns: CatalogGrid['columns']): void {
  if (rejected.length === 0) return;
  const byId = new Map(rejected.map((r) => [r.id, r.errors]));
  const marked = rows.filter((r) => byId.has(r.id)).map((r) => ({ index: r.index, errors: byId.get(r.id) ?? {} }));
  const next = notesFor(marked, block.getNotes(), columns);
  if (next) block.setNotes(next);
}

/**
 * The installable onEdit: the edited rows (a paste of many rows is one event) get IDs, are
 * validated (notes on invalid cells) and are pushed in one signed request. Waiting outbox
 * operations come back with the answer and are applied at once.
 */
export function pushEdit(e: GoogleAppsScript.Events.SheetsOnEdit, now: Date): void {
  const sheet = e.range.getSheet();
  if (sheet.getName() === Sheets.Templates) {
    pushTemplates();
    return;
  }
  if (sheet.getName() === Sheets.AdminEvents) {
    pushTaskStates({ first: Math.max(2, e.range.getRow()), last: e.range.getLastRow() });
    return;
  }
  if (sheet.getName() !== Sheets.Catalog) return;
  const firstRow = Math.max(2, e.range.getRow());
  const lastRow = Math.min(e.range.getLastRow(), sheet.getLastRow());
  if (lastRow < firstRow) return;
  const width = sheet.getLastColumn();
  const columns = columnsOf(sheet.getRange(1, 1, 1, width).getValues()[0] ?? [], catalogColumns);
  const idCol = requireIdColumn(columns);
  const block = sheet.getRange(firstRow, 1, lastRow - firstRow + 1, width);
  const rows = block.getValues();
  const ids = rows.map((row) => row[idCol]);
  const hasContent = (i: number) => !isBlankRow(rowRecord(rows[i] ?? [], columns));

  const editedFrom = e.range.getColumn() - 1;
  const touchesId = idCol >= editedFrom && idCol < editedFrom + e.range.getNumColumns();
  const single = e.range.getNumRows() === 1 && e.range.getNumColumns() === 1;
  // The ID is the server's: a hand edit of one ID cell is put back.
  if (single && touchesId && isRecordId(e.oldValue) && e.value !== e.oldValue) {
    sheet.getRange(firstRow, idCol + 1).setValue(e.oldValue);
    ids[0] = e.oldValue;
    (rows[0] as unknown[])[idCol] = e.oldValue;
  }
  const needsCheck = !single || touchesId || ids.some((id, i) => hasContent(i) && !isRecordId(id));
  if (needsCheck) {
    const total = sheet.getLastRow() - 1;
    const all = total > 0 ? sheet.getRange(2, idCol + 1, total, 1).getValues() : [];
    const taken = new Set<string>();
    all.forEach(([id], i) => {
      const row = i + 2;
      if ((row < firstRow || row > lastRow) && isRecordId(id)) taken.add(id.trim().toLowerCase());
    });
    writeIds(sheet, idCol, firstRow, ids, assignIds(ids, hasContent, taken));
  }

  const checked = checkRows(rows, columns, ids, now);
  const notes = notesFor(checked, block.getNotes(), columns);
  if (notes) block.setNotes(notes);
  const valid = checked.filter((row) => row.fields);
  if (valid.length === 0) return;
  const response = callServer<PushResponse>(sheetSyncPaths.push, {
    rows: valid.map((row) => ({ id: row.id, fields: row.fields })),
    reason: 'edit',
    ack: takeAcks(),
  });
  settings.setPendingAcks([]);
  settings.markPushed(now);
  noteRejected(block, checked, response.rejected, columns);
  restoreOwned(sheet, rows, firstRow, columns, ids, response.owned);
  applyAndAck(response.ops);
}

/**
 * The safety net: id -> hash of every row in one request; the server answers the ids it
 * needs and soft-deletes records whose rows are gone; the add-on sends those rows. The
 * worksheet is read with one getValues call.
 */
export function reconcile(now: Date): { rows: number; sent: number; deleted: number } {
  const sheet = catalogSheet();
  if (!sheet) throw new Error('Нет листа «Справочник»: выполните «Винил» → «Настроить листы».');
  const grid = readGrid(sheet, catalogColumns);
  const idCol = requireIdColumn(grid.columns);
  const ids = grid.rows.map((row) => row[idCol]);
  writeIds(sheet, idCol, 2, ids, assignIds(ids, (i) => !isBlankRow(rowRecord(grid.rows[i] ?? [], grid.columns))));

  const checked = checkRows(grid.rows, grid.columns, ids, now);
  const block = grid.rows.length > 0 ? sheet.getRange(2, 1, grid.rows.length, grid.width) : null;
  const notes = block ? block.getNotes() : [];
  const nextNotes = notesFor(checked, notes, grid.columns);
  if (block && nextNotes) block.setNotes(nextNotes);

  const answer = callServer<ReconcileResponse>(sheetSyncPaths.reconcile, {
    rows: checked.map((row) => ({ id: row.id, hash: row.hash })),
    ack: takeAcks(),
  });
  settings.setPendingAcks([]);
  const need = new Set(answer.need);
  const toSend = checked.filter((row) => row.fields && need.has(row.id));
  const ops = [...answer.ops];
  const owned: PushResponse['owned'] = [];
  const rejected: PushResponse['rejected'] = [];
  for (let i = 0; i < toSend.length; i += pushChunk) {
    const chunk = toSend.slice(i, i + pushChunk);
    const response = callServer<PushResponse>(sheetSyncPaths.push, {
      rows: chunk.map((row) => ({ id: row.id, fields: row.fields })),
      reason: 'reconcile',
    });
    owned.push(...response.owned);
    rejected.push(...response.rejected);
    ops.push(...response.ops);
  }
  if (block) {
    noteRejected(block, checked, rejected, grid.columns);
    restoreOwned(sheet, grid.rows, 2, grid.columns, ids, owned);
  }
  applyAndAck(ops);
  settings.setNeedsReconcile(false);
  settings.markReconciled(now);
  return { rows: checked.length, sent: toSend.length, deleted: answer.deleted };
}

/** The time trigger's pull: waiting outbox operations, applied and acknowledged. */
export function pullOutbox(): number {
  const answer = callServer<PullResponse>(sheetSyncPaths.pull, { ack: takeAcks() });
  settings.setPendingAcks([]);
  applyAndAck(answer.ops);
  return answer.ops.length;
}

