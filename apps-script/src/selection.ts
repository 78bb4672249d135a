import { Sheets, catalogColumns } from '../../shared/sheet-layout.ts';
import { columnsOf, isRecordId } from './worksheet.ts';

/** Record IDs of the rows selected in the catalog (two range reads, whatever the selection size). */
export function selectedRecordIds(): string[] {
  const range = SpreadsheetApp.getActiveRange();
  const sheet = range?.getSheet();
  if (!range || !sheet || sheet.getName() !== Sheets.Catalog) throw new Error('Выделите строки на листе «Справочник».');
  const columns = columnsOf(sheet.getRange(1, 1, 1, sheet.getLastColumn()).getValues()[0] ?? [], catalogColumns);
  if (columns.id === undefined) throw new Error('В листе «Справочник» нет столбца ID: выполните «Винил» → «Настроить листы».');
  const first = Math.max(2, range.getRow());
  const count = range.getLastRow() - first + 1;
  if (count < 1) throw new Error('Выделите строки с пластинками, а не заголовок.');
  const ids = sheet.getRange(first, columns.id + 1, count, 1).getValues().map(([id]) => id);
  const valid = ids.filter(isRecordId).map((id) => id.trim().toLowerCase());
  if (valid.length === 0) throw new Error('У выделенных строк ещё нет ID: дождитесь синхронизации или нажмите «Синхронизировать сейчас».');
  return valid;
}
