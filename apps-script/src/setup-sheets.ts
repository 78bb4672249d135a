import { activeStatuses, statusLabels, type ActiveStatus } from '../../shared/record-status.ts';
import { taskStateSheetLabels } from '../../shared/procurement-task-contract.ts';
import { Sheets, adminEventColumns, catalogColumns, sheetColumns } from '../../shared/sheet-layout.ts';
import { seedTemplates } from './templates.ts';
import { columnsOf } from './worksheet.ts';

/** Row colours by status (light shades, readable with black text). */
const statusColours: Record<ActiveStatus, string> = {
  search_request: '#fff2cc',
  procurement: '#ffe599',
  available: '#d9ead3',
  reserved: '#fce5cd',
  sold: '#f4cccc',
};

function columnLetter(index1: number): string {
  let n = index1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/**
 * Creates the worksheet if it is missing and appends any missing header (never removes or moves
 * a column, never touches data rows); freezes and bolds the header row.
 */
export function ensureWorksheet(name: string): GoogleAppsScript.Spreadsheet.Sheet {
  const ss = SpreadsheetApp.getActive();
  const sheet = ss.getSheetByName(name) ?? ss.insertSheet(name);
  const headers = Object.values((sheetColumns as Record<string, Record<string, string>>)[name] ?? {});
  const width = Math.max(sheet.getLastColumn(), 1);
  const header = sheet.getRange(1, 1, 1, width).getValues()[0] ?? [];
  const present = new Set(header.map((cell) => String(cell).trim()).filter(Boolean));
  const missing = headers.filter((text) => !present.has(text));
  if (missing.length > 0) {
    let last = header.length;
    while (last > 0 && String(header[last - 1]).trim() === '') last--;
    sheet.getRange(1, last + 1, 1, missing.length).setValues([missing]);
  }
  if (sheet.getFrozenRows() !== 1) sheet.setFrozenRows(1);
  sheet.getRange(1, 1, 1, sheet.getLastColumn()).setFontWeight('bold');
  return sheet;
}

/** Dropdown of the five status labels, year and price checks, colours by status. */
function decorateCatalog(sheet: GoogleAppsScript.Spreadsheet.Sheet): void {
  const width = sheet.getLastColumn();
  const columns = columnsOf(sheet.getRange(1, 1, 1, width).getValues()[0] ?? [], catalogColumns);
  const rows = Math.max(sheet.getMaxRows() - 1, 1);
  const column = (key: keyof typeof catalogColumns) => sheet.getRange(2, (columns[key] as number) + 1, rows, 1);
  const labels = activeStatuses.map((s) => statusLabels[s]);
  const nextYear = new Date().getFullYear() + 1;
  column('status').setDataValidation(
    SpreadsheetApp.newDataValidation().requireValueInList(labels, true).setAllowInvalid(false)
      .setHelpText('Выберите статус из списка').build(),
  );
  // Year and price only warn: the add-on's own check then explains the problem in a cell note.
  column('year').setDataValidation(
    SpreadsheetApp.newDataValidation().requireNumberBetween(1900, nextYear).setAllowInvalid(true)
      .setHelpText(`Год от 1900 до ${nextYear}`).build(),
  );
  column('price').setDataValidation(
    SpreadsheetApp.newDataValidation().requireNumberGreaterThanOrEqualTo(0).setAllowInvalid(true)
      .setHelpText('Цена не меньше 0').build(),
  );
  const statusLetter = columnLetter((columns.status as number) + 1);
  const wholeRows = sheet.getRange(2, 1, rows, width);
  const rules = activeStatuses.map((status) =>
    SpreadsheetApp.newConditionalFormatRule()
      .whenFormulaSatisfied(`=$${statusLetter}2="${statusLabels[status]}"`)
      .setBackground(statusColours[status])
      .setRanges([wholeRows])
      .build(),
  );
  sheet.setConditionalFormatRules(rules);
}

/** Статус_задачи as a dropdown of the task states (the bot and the admin API share them). */
function decorateAdminEvents(sheet: GoogleAppsScript.Spreadsheet.Sheet): void {
  const columns = columnsOf(sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0] ?? [], adminEventColumns);
  if (columns.task_status === undefined) return;
  sheet.getRange(2, columns.task_status + 1, Math.max(sheet.getMaxRows() - 1, 1), 1).setDataValidation(
    SpreadsheetApp.newDataValidation().requireValueInList(Object.values(taskStateSheetLabels), true).setAllowInvalid(true)
      .setHelpText('Новая, В работе, Выполнена или Скрыта').build(),
  );
}

/** Menu «Настроить листы»: safe to run any number of times; it never deletes data. */
export function setupSheets(): string[] {
  const names = Object.values(Sheets);
  for (const name of names) ensureWorksheet(name);
  decorateCatalog(SpreadsheetApp.getActive().getSheetByName(Sheets.Catalog) as GoogleAppsScript.Spreadsheet.Sheet);
  seedTemplates(SpreadsheetApp.getActive().getSheetByName(Sheets.Templates) as GoogleAppsScript.Spreadsheet.Sheet);
  decorateAdminEvents(SpreadsheetApp.getActive().getSheetByName(Sheets.AdminEvents) as GoogleAppsScript.Spreadsheet.Sheet);
  return names;
}
