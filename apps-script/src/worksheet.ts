/**
 * A worksheet read in one getValues call, with its columns found by header text, so the admin
 * may reorder columns. Row numbers are sheet rows (the header is row 1).
 */
export interface Grid<K extends string> {
  sheet: GoogleAppsScript.Spreadsheet.Sheet;
  width: number;
  /** 0-based column of each key whose header is present. */
  columns: Partial<Record<K, number>>;
  /** Data rows (sheet rows 2..), each `width` cells long. */
  rows: unknown[][];
}

export function columnsOf<K extends string>(header: unknown[], headers: Record<K, string>): Partial<Record<K, number>> {
  const byText = new Map<string, number>();
  header.forEach((cell, index) => {
    const text = String(cell ?? '').trim();
    if (text && !byText.has(text)) byText.set(text, index);
  });
  const columns: Partial<Record<K, number>> = {};
  for (const key of Object.keys(headers) as K[]) {
    const index = byText.get(headers[key]);
    if (index !== undefined) columns[key] = index;
  }
  return columns;
}

export function readGrid<K extends string>(sheet: GoogleAppsScript.Spreadsheet.Sheet, headers: Record<K, string>): Grid<K> {
  const lastRow = sheet.getLastRow();
  const lastColumn = sheet.getLastColumn();
  const values = lastRow > 0 && lastColumn > 0 ? sheet.getRange(1, 1, lastRow, lastColumn).getValues() : [];
  return { sheet, width: lastColumn, columns: columnsOf(values[0] ?? [], headers), rows: values.slice(1) };
}

/** Cells of one row by column key. */
export function rowRecord<K extends string>(row: unknown[], columns: Partial<Record<K, number>>): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  for (const key of Object.keys(columns) as K[]) out[key] = row[columns[key] as number];
  return out;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isRecordId(value: unknown): value is string {
  return typeof value === 'string' && uuidPattern.test(value.trim());
}
