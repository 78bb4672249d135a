// SpreadsheetApp Sheet. https://developers.google.com/apps-script/reference/spreadsheet/sheet
import { describeArgs, expose, gasError } from './realm.ts';
import { parseA1, resolveA1 } from './a1.ts';
import { parseInput } from './cells.ts';
import type { SheetModel } from './sheet-model.ts';
import { Protection, Range, normColor } from './range.ts';
import { ConditionalFormatRule, cloneRule } from './validation.ts';
import { Spreadsheet } from './spreadsheet.ts';
import { world } from './world.ts';

let metadataId = 1000;

export class DeveloperMetadata {
  constructor(readonly _sheet: SheetModel, readonly _m: { id: number; key: string; value: string | null; visibility: string }) {}
  getId(): number { return this._m.id; }
  getKey(): string { return this._m.key; }
  getValue(): string | null { return this._m.value; }
  getVisibility(): string { return this._m.visibility; }
  setKey(k: string): DeveloperMetadata { this._m.key = String(k); return this; }
  setValue(v: string): DeveloperMetadata { this._m.value = String(v); return this; }
  remove(): void { this._sheet.developerMetadata = this._sheet.developerMetadata.filter((m) => m !== this._m); }
}

export class Sheet {
  constructor(readonly _m: SheetModel) {}

  /** Bounds-checked range, with the messages Apps Script uses. */
  _range(row: number, col: number, numRows = 1, numCols = 1): Range {
    if ([row, col, numRows, numCols].some((x) => typeof x !== 'number' || Number.isNaN(x))) {
      throw gasError(`The parameters (${describeArgs([row, col, numRows, numCols])}) don't match the method signature for SpreadsheetApp.Sheet.getRange.`);
    }
    if (row < 1) throw gasError('The starting row of the range is too small.');
    if (col < 1) throw gasError('The starting column of the range is too small.');
    if (numRows < 1) throw gasError('The number of rows in the range must be at least 1.');
    if (numCols < 1) throw gasError('The number of columns in the range must be at least 1.');
    if (row + numRows - 1 > this._m.maxRows) throw gasError('Those rows are out of bounds.');
    if (col + numCols - 1 > this._m.maxCols) throw gasError('Those columns are out of bounds.');
    return new Range(this._m, Math.floor(row), Math.floor(col), Math.floor(numRows), Math.floor(numCols));
  }
  _a1(a1: string): Range {
    const p = parseA1(String(a1));
    if (!p) throw gasError('Range not found');
    const target = p.sheetName !== undefined ? world().ss.byName(p.sheetName) : this._m;
    if (!target) throw gasError('Range not found');
    const r = resolveA1(p, target.maxRows, target.maxCols);
    return new Sheet(target)._range(r.row, r.col, r.numRows, r.numCols);
  }
  _checkRows(row: number, count: number): void {
    if (row < 1 || count < 1 || row + count - 1 > this._m.maxRows) throw gasError('Those rows are out of bounds.');
  }

  getName(): string { return this._m.name; }
  setName(name: string): Sheet {
    const ss = world().ss;
    if (ss.sheets.some((s) => s !== this._m && s.name.toLowerCase() === String(name).toLowerCase())) {
      throw gasError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    this._m.name = String(name);
    ss.pristineDefault = false;
    return this;
  }
  getSheetId(): number { return this._m.id; }
  getIndex(): number { return world().ss.sheets.indexOf(this._m) + 1; }
  getParent(): Spreadsheet { return new Spreadsheet(); }
  getType(): string { return 'GRID'; }
  activate(): Sheet {
    const ss = world().ss;
    ss.activeSheet = this._m;
    ss.activeRange = { row: 1, col: 1, numRows: 1, numCols: 1 };
    return this;
  }
  showSheet(): Sheet { this._m.hidden = false; return this; }
  hideSheet(): Sheet { this._m.hidden = true; return this; }
  isSheetHidden(): boolean { return this._m.hidden; }

  getRange(a: unknown, col?: number, numRows?: number, numCols?: number): Range {
    if (typeof a === 'string' && col === undefined) return this._a1(a);
    return this._range(a as number, col as number, numRows ?? 1, numCols ?? 1);
  }
  getRangeList(a1Notations: string[]): { getRanges(): Range[] } {
    const ranges = Array.from(a1Notations).map((a) => this._a1(a));
    return { getRanges: () => ranges };
  }
  getDataRange(): Range {
    return this._range(1, 1, Math.max(1, this._m.lastRow()), Math.max(1, this._m.lastCol()));
  }
  getLastRow(): number { return this._m.lastRow(); }
  getLastColumn(): number { return this._m.lastCol(); }
  getMaxRows(): number { return this._m.maxRows; }
  getMaxColumns(): number { return this._m.maxCols; }
  getActiveRange(): Range | null {
    const ss = world().ss;
    if (ss.activeSheet !== this._m) return null;
    const a = ss.activeRange;
    return new Range(this._m, a.row, a.col, a.numRows, a.numCols);
  }
  getActiveCell(): Range { const a = world().ss.activeRange; return new Range(this._m, a.row, a.col, 1, 1); }
  setActiveRange(range: Range): Range { return range.activate(); }
  setActiveSelection(a: unknown): Range { return (typeof a === 'string' ? this._a1(a) : (a as Range)).activate(); }

  appendRow(rowContents: unknown[]): Sheet {
    if (!Array.isArray(rowContents)) throw gasError(`The parameters (${describeArgs([rowContents])}) don't match the method signature for SpreadsheetApp.Sheet.appendRow.`);
    // appendRow adds a row below the last row with content, growing the grid if needed.
    const row = this._m.lastRow() + 1;
    if (row > this._m.maxRows) this._m.insertRows(this._m.maxRows + 1, row - this._m.maxRows);
    if (rowContents.length > this._m.maxCols) this._m.insertCols(this._m.maxCols + 1, rowContents.length - this._m.maxCols);
    const tz = world().ss.timeZone;
    rowContents.forEach((v, i) => this._m.set(row, i + 1, parseInput(v, this._m.fmt(row, i + 1)?.numberFormat, tz)));
    world().ss.pristineDefault = false;
    return this;
  }

  // ---- rows / columns ------------------------------------------------------
  insertRowAfter(afterPosition: number): Sheet { return this.insertRowsAfter(afterPosition, 1); }
  insertRowBefore(beforePosition: number): Sheet { return this.insertRowsBefore(beforePosition, 1); }
  insertRows(rowIndex: number, numRows = 1): void { this.insertRowsBefore(rowIndex, numRows); }
  insertRowsAfter(afterPosition: number, howMany: number): Sheet {
    this._checkRows(afterPosition, 1);
    this._m.insertRows(afterPosition + 1, howMany, afterPosition);
    return this;
  }
  insertRowsBefore(beforePosition: number, howMany: number): Sheet {
    this._checkRows(beforePosition, 1);
    this._m.insertRows(beforePosition, howMany);
    const src = this._m.formats[beforePosition + howMany - 1];
    if (src) for (let i = 0; i < howMany; i++) this._m.formats[beforePosition - 1 + i] = src.map((f) => (f ? { ...f, note: undefined, formula: undefined } : undefined));
    return this;
  }
  deleteRow(rowPosition: number): Sheet { return this.deleteRows(rowPosition, 1); }
  deleteRows(rowPosition: number, howMany: number): Sheet {
    this._checkRows(rowPosition, howMany);
    if (howMany >= this._m.maxRows - this._m.frozenRows && rowPosition <= this._m.frozenRows + 1) {
      throw gasError('Sorry, it is not possible to delete all non-frozen rows.');
    }
    this._m.deleteRows(rowPosition, howMany);
    return this;
  }
  insertColumnAfter(afterPosition: number): Sheet { this._m.insertCols(afterPosition + 1, 1); return this; }
  insertColumnBefore(beforePosition: number): Sheet { this._m.insertCols(beforePosition, 1); return this; }
  insertColumns(columnIndex: number, numColumns = 1): void { this._m.insertCols(columnIndex, numColumns); }
  insertColumnsAfter(afterPosition: number, howMany: number): Sheet { this._m.insertCols(afterPosition + 1, howMany); return this; }
  insertColumnsBefore(beforePosition: number, howMany: number): Sheet { this._m.insertCols(beforePosition, howMany); return this; }
  deleteColumn(columnPosition: number): Sheet { return this.deleteColumns(columnPosition, 1); }
  deleteColumns(columnPosition: number, howMany = 1): Sheet {
    if (columnPosition < 1 || columnPosition + howMany - 1 > this._m.maxCols) throw gasError('Those columns are out of bounds.');
    this._m.deleteCols(columnPosition, howMany);
    return this;
  }
  setFrozenRows(rows: number): void { this._m.frozenRows = Number(rows); }
  getFrozenRows(): number { return this._m.frozenRows; }
  setFrozenColumns(columns: number): void { this._m.frozenCols = Number(columns); }
  getFrozenColumns(): number { return this._m.frozenCols; }
  setColumnWidth(columnPosition: number, width: number): Sheet { this._m.columnWidths.set(columnPosition, width); return this; }
  setColumnWidths(startColumn: number, numColumns: number, width: number): Sheet {
    for (let c = startColumn; c < startColumn + numColumns; c++) this._m.columnWidths.set(c, width);
    return this;
  }
  getColumnWidth(columnPosition: number): number { return this._m.columnWidths.get(columnPosition) ?? 100; }
  setRowHeight(_row: number, _h: number): Sheet { return this; }
  setRowHeights(_row: number, _n: number, _h: number): Sheet { return this; }
  autoResizeColumn(_c: number): Sheet { return this; }
  autoResizeColumns(_start: number, _num: number): Sheet { return this; }
  autoResizeRows(_start: number, _num: number): Sheet { return this; }
  hideColumns(columnIndex: number, numColumns = 1): void { for (let c = columnIndex; c < columnIndex + numColumns; c++) this._m.hiddenCols.add(c); }
  hideColumn(range: Range): void { this.hideColumns(range._col, range._numCols); }
  showColumns(columnIndex: number, numColumns = 1): void { for (let c = columnIndex; c < columnIndex + numColumns; c++) this._m.hiddenCols.delete(c); }
  unhideColumn(range: Range): void { this.showColumns(range._col, range._numCols); }
  isColumnHiddenByUser(columnPosition: number): boolean { return this._m.hiddenCols.has(columnPosition); }
  hideRows(rowIndex: number, numRows = 1): void { for (let r = rowIndex; r < rowIndex + numRows; r++) this._m.hiddenRows.add(r); }
  showRows(rowIndex: number, numRows = 1): void { for (let r = rowIndex; r < rowIndex + numRows; r++) this._m.hiddenRows.delete(r); }
  isRowHiddenByUser(rowPosition: number): boolean { return this._m.hiddenRows.has(rowPosition); }

  // ---- formatting, sorting, clearing ---------------------------------------
  getConditionalFormatRules(): ConditionalFormatRule[] { return this._m.conditionalRules.map((d) => new ConditionalFormatRule(d)); }
  setConditionalFormatRules(rules: ConditionalFormatRule[]): void {
    this._m.conditionalRules = Array.from(rules).map((r) => cloneRule(r._d));
  }
  clearConditionalFormatRules(): void { this._m.conditionalRules = []; }
  setTabColor(color: string | null): Sheet { this._m.tabColor = normColor(color) ?? null; return this; }
  getTabColor(): string | null { return this._m.tabColor; }
  sort(columnPosition: number, ascending = true): Sheet {
    const top = this._m.frozenRows + 1;
    const bottom = this._m.lastRow();
    if (bottom >= top) this._m.sortBlock(top, bottom, 1, this._m.maxCols, [{ column: columnPosition, ascending: ascending !== false }]);
    return this;
  }
  clear(options?: object): Sheet {
    new Range(this._m, 1, 1, this._m.maxRows, this._m.maxCols).clear(options as never);
    return this;
  }
  clearContents(): Sheet { this._m.values = []; return this; }
  clearFormats(): Sheet { return this.clear({ formatOnly: true }); }
  clearNotes(): Sheet { for (const row of this._m.formats) row?.forEach((f) => f && delete f.note); return this; }
  protect(): Protection { return new Protection(this._m); }
  getProtections(_type?: unknown): Protection[] { return []; }
  getFilter(): null { return null; }
  getCharts(): unknown[] { return []; }
  getNamedRanges(): unknown[] { return []; }
  addDeveloperMetadata(key: string, value?: unknown, visibility?: unknown): Sheet {
    const v = value !== undefined && typeof value !== 'object' ? String(value) : null;
    const vis = value !== undefined && typeof value === 'object' ? String(value) : visibility !== undefined ? String(visibility) : 'DOCUMENT';
    this._m.developerMetadata.push({ id: metadataId++, key: String(key), value: v, visibility: vis });
    return this;
  }
  getDeveloperMetadata(): DeveloperMetadata[] { return this._m.developerMetadata.map((m) => new DeveloperMetadata(this._m, m)); }
}

expose(Sheet, true);
expose(DeveloperMetadata, true);
