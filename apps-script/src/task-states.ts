import { taskStateFromCell, taskStateSheetLabels, type SheetTaskStatesRequest } from '../../shared/procurement-task-contract.ts';
import { Sheets, adminEventColumns } from '../../shared/sheet-layout.ts';
import { sheetSyncPaths } from '../../shared/sheet-sync-contract.ts';
import { callServer } from './server-client.ts';
import { isRecordId, readGrid, rowRecord } from './worksheet.ts';

const hint = `Статус задачи: ${Object.values(taskStateSheetLabels).join(', ')}`;

/**
 * Sends Статус_задачи of Оповещения_админу back to the server (read with one getValues): the
 * procurement task states the admin set here, shared with the bot and the admin API. The server
 * writes only the states that differ, so sending every row is safe. A cell that is not a known
 * state gets a note and is not sent. `rows` (sheet rows) limits it to an edit's rows.
 */
export function pushTaskStates(rows?: { first: number; last: number }): number {
  const sheet = SpreadsheetApp.getActive().getSheetByName(Sheets.AdminEvents);
  if (!sheet) return 0;
  const grid = readGrid(sheet, adminEventColumns);
  const statusCol = grid.columns.task_status;
  if (statusCol === undefined || grid.columns.id === undefined) return 0;
  const tasks: SheetTaskStatesRequest['tasks'] = [];
  grid.rows.forEach((row, i) => {
    const sheetRow = i + 2;
    if (rows && (sheetRow < rows.first || sheetRow > rows.last)) return;
    const cells = rowRecord(row, grid.columns);
    if (!isRecordId(cells.id) || String(cells.task_status ?? '').trim() === '') return;
    const state = taskStateFromCell(cells.task_status);
    const cell = sheet.getRange(sheetRow, statusCol + 1);
    if (!state) {
      if (rows) cell.setNote(hint);
      return;
    }
    if (rows) cell.setNote('');
    tasks.push({ id: cells.id.trim().toLowerCase(), state });
  });
  if (tasks.length > 0) callServer(sheetSyncPaths.tasks, { tasks });
  return tasks.length;
}
