// SpreadsheetApp and Spreadsheet.
// https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app
// https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet
import { expose, gasError, makeEnum } from './realm.ts';
import { isValidTimeZone } from './dates.ts';
import { Range } from './range.ts';
import { Sheet } from './sheet.ts';
import { BooleanCriteria, ConditionalFormatRuleBuilder, DataValidationBuilder, DataValidationCriteria } from './validation.ts';
import { Ui } from './ui.ts';
import { currentExec, world } from './world.ts';

function activeRange(): Range {
  const ss = world().ss;
  const a = ss.activeRange;
  return new Range(ss.activeSheet, a.row, a.col, a.numRows, a.numCols);
}

export class RangeList {
  constructor(readonly _ranges: Range[]) {}
  getRanges(): Range[] { return [...this._ranges]; }
  activate(): RangeList { this._ranges[0]?.activate(); return this; }
  clearContent(): RangeList { this._ranges.forEach((r) => r.clearContent()); return this; }
  setValue(v: unknown): RangeList { this._ranges.forEach((r) => r.setValue(v)); return this; }
  setBackground(c: string | null): RangeList { this._ranges.forEach((r) => r.setBackground(c)); return this; }
  setFontWeight(w: string | null): RangeList { this._ranges.forEach((r) => r.setFontWeight(w)); return this; }
  setNote(n: string | null): RangeList { this._ranges.forEach((r) => r.setNote(n)); return this; }
}

export class Selection {
  getActiveRange(): Range { return activeRange(); }
  getActiveRangeList(): RangeList { return new RangeList([activeRange()]); }
  getActiveSheet(): Sheet { return new Sheet(world().ss.activeSheet); }
  getCurrentCell(): Range {
    const r = activeRange();
    return new Range(r._sheet, r._row, r._col, 1, 1);
  }
}

export class Spreadsheet {
  get _ss() { return world().ss; }
  getId(): string { return this._ss.id; }
  getName(): string { return this._ss.name; }
  rename(name: string): void { this._ss.name = String(name); }
  getUrl(): string { return `https://docs.google.com/spreadsheets/d/${this._ss.id}/edit`; }
  getSheetByName(name: string): Sheet | null {
    const s = this._ss.byName(String(name));
    return s ? new Sheet(s) : null;
  }
  getSheetById(id: number): Sheet | null {
    const s = this._ss.byId(Number(id));
    return s ? new Sheet(s) : null;
  }
  getSheets(): Sheet[] { return this._ss.sheets.map((s) => new Sheet(s)); }
  getNumSheets(): number { return this._ss.sheets.length; }
  insertSheet(a?: unknown, b?: unknown, _options?: unknown): Sheet {
    let name: string | undefined;
    let index: number | undefined;
    if (typeof a === 'string') name = a;
    else if (typeof a === 'number') index = a;
    if (typeof b === 'number') index = b;
    if (name === undefined) {
      let n = this._ss.sheets.length + 1;
      while (this._ss.byName(`Sheet${n}`)) n++;
      name = `Sheet${n}`;
    }
    if (this._ss.sheets.some((s) => s.name.toLowerCase() === name!.toLowerCase())) {
      throw gasError(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    const m = this._ss.newSheet(name, index);
    // insertSheet makes the new sheet the active one.
    this._ss.activeSheet = m;
    this._ss.activeRange = { row: 1, col: 1, numRows: 1, numCols: 1 };
    return new Sheet(m);
  }
  deleteSheet(sheet: Sheet): void {
    if (this._ss.sheets.length <= 1) throw gasError("You can't remove all the sheets in a document.");
    this._ss.sheets = this._ss.sheets.filter((s) => s !== sheet._m);
    if (this._ss.activeSheet === sheet._m) this._ss.activeSheet = this._ss.sheets[0]!;
  }
  getActiveSheet(): Sheet { return new Sheet(this._ss.activeSheet); }
  setActiveSheet(sheet: Sheet): Sheet { return sheet.activate(); }
  getActiveRange(): Range { return activeRange(); }
  getActiveCell(): Range { return new Selection().getCurrentCell(); }
  getActiveRangeList(): RangeList { return new RangeList([activeRange()]); }
  getSelection(): Selection { return new Selection(); }
  setActiveRange(range: Range): Range { return range.activate(); }
  setActiveSelection(a1: string): Range { return new Sheet(this._ss.activeSheet)._a1(a1).activate(); }
  getRange(a1: string): Range { return new Sheet(this._ss.activeSheet)._a1(a1); }
  getRangeList(a1s: string[]): RangeList { return new RangeList(Array.from(a1s).map((a) => this.getRange(a))); }
  getRangeByName(_name: string): Range | null { return null; }
  getSpreadsheetTimeZone(): string { return this._ss.timeZone; }
  setSpreadsheetTimeZone(tz: string): void {
    if (!isValidTimeZone(String(tz))) throw gasError(`Invalid argument: ${tz}`);
    this._ss.timeZone = String(tz);
  }
  getSpreadsheetLocale(): string { return this._ss.locale; }
  setSpreadsheetLocale(locale: string): void { this._ss.locale = String(locale); }
  toast(msg: unknown, title?: unknown, _timeoutSeconds?: number): void {
    world().uiLog.push({ kind: 'toast', message: String(msg), title: title === undefined ? undefined : String(title), fn: currentExec()?.fn });
  }
  getOwner(): { getEmail(): string } { const email = world().opts.user; return { getEmail: () => email }; }
  getEditors(): Array<{ getEmail(): string }> { return [this.getOwner()]; }
  getLastRow(): number { return this._ss.activeSheet.lastRow(); }
  getLastColumn(): number { return this._ss.activeSheet.lastCol(); }
  getDataRange(): Range { return new Sheet(this._ss.activeSheet).getDataRange(); }
  getSheetName(): string { return this._ss.activeSheet.name; }
  getSheetId(): number { return this._ss.activeSheet.id; }
  appendRow(row: unknown[]): Sheet { return new Sheet(this._ss.activeSheet).appendRow(row); }
  getFormUrl(): null { return null; }
  addMenu(name: string, subMenus: Array<{ name: string; functionName: string } | null>): void {
    const items = Array.from(subMenus).map((m) => (m ? { caption: String(m.name), functionName: String(m.functionName) } : { caption: '', separator: true }));
    world().menus.set(String(name), items);
    world().uiLog.push({ kind: 'menu', title: String(name), items, fn: currentExec()?.fn });
  }
  removeMenu(name: string): void { world().menus.delete(String(name)); }
}

export class SpreadsheetAppService {
  readonly DataValidationCriteria = DataValidationCriteria;
  readonly BooleanCriteria = BooleanCriteria;
  readonly WrapStrategy = makeEnum('WrapStrategy', ['WRAP', 'OVERFLOW', 'CLIP']);
  readonly BorderStyle = makeEnum('BorderStyle', ['DOTTED', 'DASHED', 'SOLID', 'SOLID_MEDIUM', 'SOLID_THICK', 'DOUBLE']);
  readonly Dimension = makeEnum('Dimension', ['COLUMNS', 'ROWS']);
  readonly ProtectionType = makeEnum('ProtectionType', ['RANGE', 'SHEET']);
  readonly SheetType = makeEnum('SheetType', ['GRID', 'OBJECT', 'DATASOURCE']);
  readonly DeveloperMetadataVisibility = makeEnum('DeveloperMetadataVisibility', ['DOCUMENT', 'PROJECT']);
  readonly Direction = makeEnum('Direction', ['UP', 'DOWN', 'PREVIOUS', 'NEXT']);
  readonly CopyPasteType = makeEnum('CopyPasteType', ['PASTE_NORMAL', 'PASTE_NO_BORDERS', 'PASTE_FORMAT', 'PASTE_FORMULA', 'PASTE_DATA_VALIDATION', 'PASTE_VALUES', 'PASTE_CONDITIONAL_FORMATTING', 'PASTE_COLUMN_WIDTHS']);

  getActive(): Spreadsheet { return new Spreadsheet(); }
  getActiveSpreadsheet(): Spreadsheet { return new Spreadsheet(); }
  getActiveSheet(): Sheet { return new Sheet(world().ss.activeSheet); }
  getActiveRange(): Range { return activeRange(); }
  getActiveRangeList(): RangeList { return new RangeList([activeRange()]); }
  getCurrentCell(): Range { return new Selection().getCurrentCell(); }
  getSelection(): Selection { return new Selection(); }
  setActiveSheet(sheet: Sheet): Sheet { return sheet.activate(); }
  setActiveRange(range: Range): Range { return range.activate(); }
  setActiveSpreadsheet(_ss: Spreadsheet): void {}
  flush(): void {}
  openById(id: string): Spreadsheet {
    if (String(id) !== world().ss.id) throw gasError('Unexpected error while getting the method or property openById on object SpreadsheetApp.');
    return new Spreadsheet();
  }
  openByUrl(url: string): Spreadsheet {
    if (!String(url).includes(world().ss.id)) throw gasError('Unexpected error while getting the method or property openByUrl on object SpreadsheetApp.');
    return new Spreadsheet();
  }
  /**
   * Ui is unavailable where no user is looking at the document (e.g.
   * time-driven triggers): "Cannot call SpreadsheetApp.getUi() from this context."
   */
  getUi(): Ui {
    const e = currentExec();
    if (e && !e.uiAvailable) throw gasError('Cannot call SpreadsheetApp.getUi() from this context.');
    return new Ui();
  }
  newDataValidation(): DataValidationBuilder { return new DataValidationBuilder(); }
  newConditionalFormatRule(): ConditionalFormatRuleBuilder { return new ConditionalFormatRuleBuilder(); }
}

expose(Spreadsheet, true);
expose(SpreadsheetAppService, true);
expose(Selection, true);
expose(RangeList, true);
