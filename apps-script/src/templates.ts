import { defaultTemplates } from '../../shared/notification-templates.ts';
import { Sheets, templateColumns } from '../../shared/sheet-layout.ts';
import { sheetSyncPaths, type TemplatesRequest } from '../../shared/sheet-sync-contract.ts';
import { callServer } from './server-client.ts';
import { readGrid, rowRecord } from './worksheet.ts';

/** «Активно» as the admin may type it: a checkbox, ДА/НЕТ, 1/0, true/false. */
function isActive(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return !/^(нет|no|false|0|выкл)$/i.test(String(value ?? '').trim());
}

/**
 * Sends the whole Настройки_уведомлений worksheet (read with one getValues): the server keeps
 * exactly these templates, so a deleted row stops being used too.
 */
export function pushTemplates(): number {
  const sheet = SpreadsheetApp.getActive().getSheetByName(Sheets.Templates);
  if (!sheet) return 0;
  const grid = readGrid(sheet, templateColumns);
  const templates: TemplatesRequest['templates'] = grid.rows
    .map((row) => rowRecord(row, grid.columns))
    .filter((cells) => String(cells.type ?? '').trim() !== '')
    .map((cells) => ({
      type: String(cells.type).trim(),
      title: String(cells.title ?? ''),
      body: String(cells.body ?? ''),
      active: isActive(cells.active),
    }));
  callServer(sheetSyncPaths.templates, { templates });
  return templates.length;
}

/** Puts the built-in templates into an empty worksheet, so the admin edits a working text. */
export function seedTemplates(sheet: GoogleAppsScript.Spreadsheet.Sheet): void {
  const grid = readGrid(sheet, templateColumns);
  if (grid.rows.some((row) => row.some((cell) => String(cell ?? '').trim() !== ''))) return;
  const rows = defaultTemplates.map((template) => {
    const row: unknown[] = new Array(grid.width).fill('');
    const put = (key: keyof typeof templateColumns, value: unknown) => {
      const column = grid.columns[key];
      if (column !== undefined) row[column] = value;
    };
    put('type', template.type);
    put('title', template.title);
    put('body', template.body);
    put('active', template.active);
    put('id', Utilities.getUuid());
    return row;
  });
  sheet.getRange(2, 1, rows.length, grid.width).setValues(rows);
}
