// SpreadsheetApp Range. https://developers.google.com/apps-script/reference/spreadsheet/range
import { describeArgs, expose, gasError, isDate } from './realm.ts';
import { rectToA1 } from './a1.ts';
import { displayValue, isEmptyCell, parseInput, type CellValue } from './cells.ts';
import type { CellFormat, SheetModel } from './sheet-model.ts';
import { DataValidation } from './validation.ts';
import { Sheet } from './sheet.ts';
import { world } from './world.ts';

const NAMED_COLORS: Record<string, string> = {
  white: '#ffffff', black: '#000000', red: '#ff0000', green: '#008000', blue: '#0000ff', yellow: '#ffff00',
  orange: '#ffa500', gray: '#808080', grey: '#808080', purple: '#800080', lime: '#00ff00', cyan: '#00ffff',
};

export function normColor(c: unknown): string | undefined {
  if (c === null || c === undefined || c === '') return undefined;
  const s = String(c).trim().toLowerCase();
  if (NAMED_COLORS[s]) return NAMED_COLORS[s];
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(s);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  return s;
}

function checkGrid(method: string, data: unknown, rows: number, cols: number): unknown[][] {
  if (!Array.isArray(data) || !data.every((r) => Array.isArray(r))) {
    throw gasError(`The parameters (${describeArgs([data])}) don't match the method signature for SpreadsheetApp.Range.${method}.`);
  }
  if (data.length !== rows) {
    throw gasError(`The number of rows in the data does not match the number of rows in the range. The data has ${data.length} but the range has ${rows}.`);
  }
  for (const r of data as unknown[][]) {
    if (r.length !== cols) {
      throw gasError(`The number of columns in the data does not match the number of columns in the range. The data has ${r.length} but the range has ${cols}.`);
    }
  }
  return data as unknown[][];
}

export class Range {
  constructor(
    readonly _sheet: SheetModel,
    readonly _row: number,
    readonly _col: number,
    readonly _numRows: number,
    readonly _numCols: number,
  ) {}

  _each(fn: (r: number, c: number, i: number, j: number) => void): void {
    for (let i = 0; i < this._numRows; i++) for (let j = 0; j < this._numCols; j++) fn(this._row + i, this._col + j, i, j);
  }
  _grid<T>(fn: (r: number, c: number) => T): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < this._numRows; i++) {
      const row: T[] = new Array(this._numCols);
      for (let j = 0; j < this._numCols; j++) row[j] = fn(this._row + i, this._col + j);
      out.push(row);
    }
    return out;
  }
  _cellValues(): CellValue[][] { return this._grid((r, c) => this._sheet.get(r, c)); }
  _setFmt(values: unknown[][] | undefined, single: unknown, apply: (f: CellFormat, v: unknown) => void): this {
    this._each((r, c, i, j) => apply(this._sheet.fmtMut(r, c), values ? values[i]?.[j] : single));
    return this;
  }
  _write(r: number, c: number, v: unknown): void {
    const tz = world().ss.timeZone;
    const parsed = parseInput(v, this._sheet.fmt(r, c)?.numberFormat, tz);
    this._sheet.set(r, c, parsed);
    if (typeof parsed === 'string' && parsed.startsWith('=') && parsed.length > 1) this._sheet.fmtMut(r, c).formula = parsed;
    world().ss.pristineDefault = false;
  }

  // ---- geometry ------------------------------------------------------------
  getRow(): number { return this._row; }
  getRowIndex(): number { return this._row; }
  getColumn(): number { return this._col; }
  getColumnIndex(): number { return this._col; }
  getNumRows(): number { return this._numRows; }
  getNumColumns(): number { return this._numCols; }
  getLastRow(): number { return this._row + this._numRows - 1; }
  getLastColumn(): number { return this._col + this._numCols - 1; }
  getHeight(): number { return this._numRows; }
  getWidth(): number { return this._numCols; }
  getA1Notation(): string { return rectToA1({ row: this._row, col: this._col, numRows: this._numRows, numCols: this._numCols }); }
  getGridId(): number { return this._sheet.id; }
  getSheet(): Sheet { return new Sheet(this._sheet); }
  getCell(row: number, column: number): Range {
    if (row < 1 || row > this._numRows || column < 1 || column > this._numCols) throw gasError('Cell reference out of range');
    return new Range(this._sheet, this._row + row - 1, this._col + column - 1, 1, 1);
  }
  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): Range {
    return new Sheet(this._sheet)._range(this._row + rowOffset, this._col + columnOffset, numRows ?? this._numRows, numColumns ?? this._numCols);
  }
  activate(): Range {
    const ss = world().ss;
    ss.activeSheet = this._sheet;
    ss.activeRange = { row: this._row, col: this._col, numRows: this._numRows, numCols: this._numCols };
    return this;
  }
  activateAsCurrentCell(): Range { return this.activate(); }
  isBlank(): boolean { return this._cellValues().every((r) => r.every((v) => isEmptyCell(v))); }
  getMergedRanges(): Range[] { return []; }

  // ---- values --------------------------------------------------------------
  getValue(): CellValue { return this._sheet.get(this._row, this._col); }
  getValues(): CellValue[][] { return this._cellValues(); }
  getDisplayValue(): string { return this.getDisplayValues()[0]?.[0] ?? ''; }
  getDisplayValues(): string[][] {
    const tz = world().ss.timeZone;
    return this._grid((r, c) => displayValue(this._sheet.get(r, c), this._sheet.fmt(r, c)?.numberFormat, tz));
  }
  setValue(value: unknown): Range {
    if (Array.isArray(value)) throw gasError(`The parameters (${describeArgs([value])}) don't match the method signature for SpreadsheetApp.Range.setValue.`);
    this._each((r, c) => this._write(r, c, value));
    return this;
  }
  setValues(values: unknown[][]): Range {
    const grid = checkGrid('setValues', values, this._numRows, this._numCols);
    this._each((r, c, i, j) => this._write(r, c, grid[i]?.[j]));
    return this;
  }
  getFormula(): string { return this._sheet.fmt(this._row, this._col)?.formula ?? ''; }
  getFormulas(): string[][] { return this._grid((r, c) => this._sheet.fmt(r, c)?.formula ?? ''); }
  setFormula(formula: string): Range { return this.setValue(String(formula)); }
  setFormulas(formulas: string[][]): Range { return this.setValues(formulas); }
  clearContent(): Range {
    this._each((r, c) => this._sheet.set(r, c, ''));
    return this;
  }
  clear(options?: { contentsOnly?: boolean; formatOnly?: boolean; commentsOnly?: boolean; validationsOnly?: boolean }): Range {
    const o = options ?? {};
    const all = !o.contentsOnly && !o.formatOnly && !o.commentsOnly && !o.validationsOnly;
    this._each((r, c) => {
      if (all || o.contentsOnly) this._sheet.set(r, c, '');
      const f = this._sheet.fmt(r, c);
      if (!f) return;
      if (all || o.formatOnly) {
        for (const k of ['background', 'fontWeight', 'fontColor', 'fontStyle', 'fontSize', 'numberFormat', 'wrap', 'hAlign', 'vAlign'] as const) delete f[k];
      }
      if (o.commentsOnly) delete f.note;
      if (o.validationsOnly) delete f.validation;
    });
    return this;
  }
  clearFormat(): Range { return this.clear({ formatOnly: true }); }
  trimWhitespace(): Range {
    this._each((r, c) => {
      const v = this._sheet.get(r, c);
      if (typeof v === 'string') this._sheet.set(r, c, v.trim().replace(/\s+/g, ' '));
    });
    return this;
  }
  copyTo(destination: Range, options?: { contentsOnly?: boolean; formatOnly?: boolean }): void {
    const vals = this._cellValues();
    const fmts = this._grid((r, c) => this._sheet.fmt(r, c));
    vals.forEach((row, i) =>
      row.forEach((v, j) => {
        const r = destination._row + i;
        const c = destination._col + j;
        if (!options?.formatOnly) destination._sheet.set(r, c, isDate(v) ? new Date(v.getTime()) : v);
        const f = fmts[i]?.[j];
        if (!options?.contentsOnly && f) (destination._sheet.formats[r - 1] ??= [])[c - 1] = { ...f };
      }),
    );
  }

  // ---- notes, colors, fonts, number formats ---------------------------------
  getNote(): string { return this._sheet.fmt(this._row, this._col)?.note ?? ''; }
  getNotes(): string[][] { return this._grid((r, c) => this._sheet.fmt(r, c)?.note ?? ''); }
  setNote(note: unknown): Range { return this._setFmt(undefined, note, (f, v) => (isEmptyCell(v) ? delete f.note : (f.note = String(v)))); }
  setNotes(notes: unknown[][]): Range {
    const g = checkGrid('setNotes', notes, this._numRows, this._numCols);
    return this._setFmt(g, undefined, (f, v) => (isEmptyCell(v) ? delete f.note : (f.note = String(v))));
  }
  clearNote(): Range { return this.setNote(null); }
  getBackground(): string { return this._sheet.fmt(this._row, this._col)?.background ?? '#ffffff'; }
  getBackgrounds(): string[][] { return this._grid((r, c) => this._sheet.fmt(r, c)?.background ?? '#ffffff'); }
  setBackground(color: string | null): Range { return this._setFmt(undefined, color, (f, v) => (f.background = normColor(v))); }
  setBackgrounds(colors: (string | null)[][]): Range {
    return this._setFmt(checkGrid('setBackgrounds', colors, this._numRows, this._numCols), undefined, (f, v) => (f.background = normColor(v)));
  }
  setBackgroundRGB(red: number, green: number, blue: number): Range {
    const hex = `#${[red, green, blue].map((x) => Math.max(0, Math.min(255, x)).toString(16).padStart(2, '0')).join('')}`;
    return this.setBackground(hex);
  }
  getFontWeight(): string { return this._sheet.fmt(this._row, this._col)?.fontWeight ?? 'normal'; }
  getFontWeights(): string[][] { return this._grid((r, c) => this._sheet.fmt(r, c)?.fontWeight ?? 'normal'); }
  setFontWeight(w: string | null): Range { return this._setFmt(undefined, w, (f, v) => (f.fontWeight = v ? String(v) : undefined)); }
  setFontWeights(w: (string | null)[][]): Range {
    return this._setFmt(checkGrid('setFontWeights', w, this._numRows, this._numCols), undefined, (f, v) => (f.fontWeight = v ? String(v) : undefined));
  }
  getFontColor(): string { return this._sheet.fmt(this._row, this._col)?.fontColor ?? '#000000'; }
  getFontColors(): string[][] { return this._grid((r, c) => this._sheet.fmt(r, c)?.fontColor ?? '#000000'); }
  setFontColor(color: string | null): Range { return this._setFmt(undefined, color, (f, v) => (f.fontColor = normColor(v))); }
  setFontColors(colors: (string | null)[][]): Range {
    return this._setFmt(checkGrid('setFontColors', colors, this._numRows, this._numCols), undefined, (f, v) => (f.fontColor = normColor(v)));
  }
  getFontStyle(): string { return this._sheet.fmt(this._row, this._col)?.fontStyle ?? 'normal'; }
  setFontStyle(style: string | null): Range { return this._setFmt(undefined, style, (f, v) => (f.fontStyle = v ? String(v) : undefined)); }
  getFontSize(): number { return this._sheet.fmt(this._row, this._col)?.fontSize ?? 10; }
  setFontSize(size: number): Range { return this._setFmt(undefined, size, (f, v) => (f.fontSize = Number(v))); }
  setFontFamily(_family: string | null): Range { return this; }
  setFontLine(_line: string | null): Range { return this; }
  setBorder(..._args: unknown[]): Range { return this; }
  merge(): Range { return this; }
  setHorizontalAlignment(a: string | null): Range { return this._setFmt(undefined, a, (f, v) => (f.hAlign = v ? String(v) : undefined)); }
  getHorizontalAlignment(): string { return this._sheet.fmt(this._row, this._col)?.hAlign ?? 'general'; }
  setVerticalAlignment(a: string | null): Range { return this._setFmt(undefined, a, (f, v) => (f.vAlign = v ? String(v) : undefined)); }
  getVerticalAlignment(): string { return this._sheet.fmt(this._row, this._col)?.vAlign ?? 'bottom'; }
  getNumberFormat(): string { return this._sheet.fmt(this._row, this._col)?.numberFormat ?? 'General'; }
  getNumberFormats(): string[][] { return this._grid((r, c) => this._sheet.fmt(r, c)?.numberFormat ?? 'General'); }
  setNumberFormat(fmt: string): Range { return this._setFmt(undefined, fmt, (f, v) => (f.numberFormat = String(v))); }
  setNumberFormats(fmts: string[][]): Range {
    return this._setFmt(checkGrid('setNumberFormats', fmts, this._numRows, this._numCols), undefined, (f, v) => (f.numberFormat = String(v)));
  }
  getWrap(): boolean { return this._sheet.fmt(this._row, this._col)?.wrap ?? false; }
  getWraps(): boolean[][] { return this._grid((r, c) => this._sheet.fmt(r, c)?.wrap ?? false); }
  setWrap(wrap: boolean): Range { return this._setFmt(undefined, wrap, (f, v) => (f.wrap = !!v)); }
  setWraps(wraps: boolean[][]): Range {
    return this._setFmt(checkGrid('setWraps', wraps, this._numRows, this._numCols), undefined, (f, v) => (f.wrap = !!v));
  }
  setWrapStrategy(strategy: unknown): Range { return this.setWrap(String(strategy) === 'WRAP'); }
  setWrapStrategies(strategies: unknown[][]): Range { return this.setWraps(strategies.map((r) => r.map((s) => String(s) === 'WRAP'))); }

  // ---- data validation -----------------------------------------------------
  getDataValidation(): DataValidation | null {
    const d = this._sheet.fmt(this._row, this._col)?.validation;
    return d ? new DataValidation(d) : null;
  }
  getDataValidations(): (DataValidation | null)[][] {
    return this._grid((r, c) => {
      const d = this._sheet.fmt(r, c)?.validation;
      return d ? new DataValidation(d) : null;
    });
  }
  setDataValidation(rule: DataValidation | null): Range {
    if (rule !== null && !(rule instanceof DataValidation)) {
      throw gasError(`The parameters (${describeArgs([rule])}) don't match the method signature for SpreadsheetApp.Range.setDataValidation.`);
    }
    return this._setFmt(undefined, rule, (f, v) => (v ? (f.validation = (v as DataValidation)._d) : delete f.validation));
  }
  setDataValidations(rules: (DataValidation | null)[][]): Range {
    const g = checkGrid('setDataValidations', rules, this._numRows, this._numCols);
    return this._setFmt(g, undefined, (f, v) => (v ? (f.validation = (v as DataValidation)._d) : delete f.validation));
  }
  clearDataValidations(): Range { return this.setDataValidation(null); }
  insertCheckboxes(checked?: unknown, unchecked?: unknown): Range {
    const values = checked === undefined ? [] : unchecked === undefined ? [checked] : [checked, unchecked];
    const d = { type: 'CHECKBOX', values, allowInvalid: true, helpText: '' };
    this._each((r, c) => {
      this._sheet.fmtMut(r, c).validation = d;
      if (isEmptyCell(this._sheet.get(r, c))) this._sheet.set(r, c, values.length ? (values[1] as CellValue) ?? '' : false);
    });
    return this;
  }

  // ---- sorting / protection ------------------------------------------------
  sort(sortSpecObj: unknown): Range {
    const specs = (Array.isArray(sortSpecObj) ? sortSpecObj : [sortSpecObj]).map((s) =>
      typeof s === 'number' ? { column: s, ascending: true } : { column: Number((s as { column: number }).column), ascending: (s as { ascending?: boolean }).ascending !== false },
    );
    for (const s of specs) {
      if (s.column < this._col || s.column > this.getLastColumn()) throw gasError(`Column specified in sort specification is out of range: ${s.column}`);
    }
    this._sheet.sortBlock(this._row, this.getLastRow(), this._col, this.getLastColumn(), specs);
    return this;
  }
  protect(): Protection { return new Protection(this._sheet, this.getA1Notation()); }
}

export class Protection {
  constructor(readonly _sheet: SheetModel, readonly _a1?: string) {
    _sheet.protections.push({ description: '', range: _a1 });
  }
  setDescription(d: string): Protection { const p = this._sheet.protections.at(-1); if (p) p.description = String(d); return this; }
  setWarningOnly(_w: boolean): Protection { return this; }
  removeEditors(_e: unknown): Protection { return this; }
  addEditor(_e: unknown): Protection { return this; }
  setDomainEdit(_e: boolean): Protection { return this; }
  canEdit(): boolean { return true; }
  remove(): void { this._sheet.protections = this._sheet.protections.filter((p) => p.range !== this._a1); }
}

expose(Range, true);
expose(Protection, true);
