// In-memory grid behind the Spreadsheet service objects. Coordinates are
// 1-based like the Apps Script API. Storage is row-major and sparse: a
// missing row or cell reads as '' (empty).
import { compareCells, isEmptyCell, type CellValue } from './cells.ts';

export interface ValidationData {
  type: string; // SpreadsheetApp.DataValidationCriteria name
  values: unknown[];
  allowInvalid: boolean;
  helpText: string;
}

export interface CellFormat {
  note?: string;
  background?: string;
  fontWeight?: string;
  fontColor?: string;
  fontStyle?: string;
  fontSize?: number;
  numberFormat?: string;
  wrap?: boolean;
  hAlign?: string;
  vAlign?: string;
  formula?: string;
  validation?: ValidationData;
}

export interface ConditionalRuleData {
  condition: string;
  values: unknown[];
  background?: string;
  fontColor?: string;
  bold?: boolean;
  ranges: Array<{ sheetId: number; row: number; col: number; numRows: number; numCols: number }>;
}

export class SheetModel {
  values: CellValue[][] = [];
  formats: Array<Array<CellFormat | undefined>> = [];
  frozenRows = 0;
  frozenCols = 0;
  columnWidths = new Map<number, number>();
  hiddenCols = new Set<number>();
  hiddenRows = new Set<number>();
  tabColor: string | null = null;
  conditionalRules: ConditionalRuleData[] = [];
  developerMetadata: Array<{ id: number; key: string; value: string | null; visibility: string }> = [];
  protections: Array<{ description: string; range?: string }> = [];
  hidden = false;

  constructor(
    public id: number,
    public name: string,
    public maxRows = 1000,
    public maxCols = 26,
  ) {}

  get(r: number, c: number): CellValue {
    return this.values[r - 1]?.[c - 1] ?? '';
  }

  set(r: number, c: number, v: CellValue): void {
    const row = (this.values[r - 1] ??= []);
    row[c - 1] = v;
    if (this.formats[r - 1]?.[c - 1]?.formula !== undefined) delete this.formats[r - 1]![c - 1]!.formula;
  }

  fmt(r: number, c: number): CellFormat | undefined {
    return this.formats[r - 1]?.[c - 1];
  }

  fmtMut(r: number, c: number): CellFormat {
    const row = (this.formats[r - 1] ??= []);
    return (row[c - 1] ??= {});
  }

  /** Last row with content (Sheet.getLastRow). */
  lastRow(): number {
    for (let r = this.values.length; r >= 1; r--) {
      const row = this.values[r - 1];
      if (row && row.some((v) => !isEmptyCell(v))) return r;
    }
    return 0;
  }

  /** Last column with content (Sheet.getLastColumn). */
  lastCol(): number {
    let max = 0;
    for (const row of this.values) {
      if (!row) continue;
      for (let c = row.length; c > max; c--) {
        if (!isEmptyCell(row[c - 1])) {
          max = c;
          break;
        }
      }
    }
    return max;
  }

  lastFormattedRow(): number {
    for (let r = this.formats.length; r >= 1; r--) {
      if (this.formats[r - 1]?.some((f) => f?.validation)) return r;
    }
    return 0;
  }

  lastFormattedCol(): number {
    let max = 0;
    for (const row of this.formats) row?.forEach((f, i) => f?.validation && (max = Math.max(max, i + 1)));
    return max;
  }

  /** Inserts `count` empty rows so that the first new row has index `at`; formats are copied from `inheritFrom` (a row index after insertion) if given. */
  insertRows(at: number, count: number, inheritFrom?: number): void {
    const src = inheritFrom !== undefined ? this.formats[inheritFrom - 1] : undefined;
    const emptyVals: CellValue[][] = Array.from({ length: count }, () => []);
    const newFmts = Array.from({ length: count }, () =>
      src ? src.map((f) => (f ? stripForInherit(f) : undefined)) : [],
    );
    padTo(this.values, at - 1);
    padTo(this.formats, at - 1);
    this.values.splice(at - 1, 0, ...emptyVals);
    this.formats.splice(at - 1, 0, ...newFmts);
    this.maxRows += count;
    this.shiftRuleRows(at, count);
  }

  deleteRows(at: number, count: number): void {
    this.values.splice(at - 1, count);
    this.formats.splice(at - 1, count);
    this.maxRows -= count;
    this.shiftRuleRows(at + count, -count);
  }

  insertCols(at: number, count: number): void {
    for (const row of this.values) if (row && row.length >= at) row.splice(at - 1, 0, ...Array<CellValue>(count).fill(''));
    for (const row of this.formats) if (row && row.length >= at) row.splice(at - 1, 0, ...Array<undefined>(count).fill(undefined));
    this.maxCols += count;
  }

  deleteCols(at: number, count: number): void {
    for (const row of this.values) row?.splice(at - 1, count);
    for (const row of this.formats) row?.splice(at - 1, count);
    this.maxCols -= count;
  }

  /**
   * Sorts rows [top, bottom] by the given columns (absolute indexes) the way
   * Sheets does: blanks always last, whatever the direction; stable.
   * Only the columns [left, right] move.
   */
  sortBlock(top: number, bottom: number, left: number, right: number, specs: Array<{ column: number; ascending: boolean }>): void {
    const rows: Array<{ vals: CellValue[]; fmts: Array<CellFormat | undefined>; idx: number }> = [];
    for (let r = top; r <= bottom; r++) {
      const vals: CellValue[] = [];
      const fmts: Array<CellFormat | undefined> = [];
      for (let c = left; c <= right; c++) {
        vals.push(this.get(r, c));
        fmts.push(this.fmt(r, c));
      }
      rows.push({ vals, fmts, idx: r });
    }
    rows.sort((a, b) => {
      for (const s of specs) {
        const va = a.vals[s.column - left];
        const vb = b.vals[s.column - left];
        const ea = isEmptyCell(va);
        const eb = isEmptyCell(vb);
        if (ea || eb) {
          if (ea && eb) continue;
          return ea ? 1 : -1;
        }
        const c = compareCells(va, vb);
        if (c !== 0) return s.ascending ? c : -c;
      }
      return a.idx - b.idx;
    });
    rows.forEach((row, i) => {
      const r = top + i;
      row.vals.forEach((v, j) => {
        (this.values[r - 1] ??= [])[left - 1 + j] = v;
        (this.formats[r - 1] ??= [])[left - 1 + j] = row.fmts[j];
      });
    });
  }

  private shiftRuleRows(from: number, delta: number): void {
    for (const rule of this.conditionalRules) {
      for (const rg of rule.ranges) {
        if (rg.sheetId !== this.id) continue;
        if (rg.row >= from) rg.row = Math.max(1, rg.row + delta);
        else if (rg.row + rg.numRows - 1 >= from) rg.numRows = Math.max(1, rg.numRows + delta);
      }
    }
  }
}

function padTo<T>(arr: T[], len: number): void {
  while (arr.length < len) arr.push(undefined as T);
}

function stripForInherit(f: CellFormat): CellFormat {
  const { note: _note, formula: _formula, ...rest } = f;
  return { ...rest };
}

export class SpreadsheetModel {
  sheets: SheetModel[] = [];
  activeSheet: SheetModel;
  activeRange: { row: number; col: number; numRows: number; numCols: number } = { row: 1, col: 1, numRows: 1, numCols: 1 };
  /** True until the default 'Sheet1' is written to or renamed: the first addSheet() reuses it. */
  pristineDefault = true;
  private nextSheetId = 1_000_000;

  constructor(
    public id: string,
    public name: string,
    public timeZone: string,
    public locale = 'en_US',
  ) {
    this.activeSheet = new SheetModel(0, 'Sheet1');
    this.sheets.push(this.activeSheet);
  }

  byName(name: string): SheetModel | undefined {
    return this.sheets.find((s) => s.name === name);
  }

  byId(id: number): SheetModel | undefined {
    return this.sheets.find((s) => s.id === id);
  }

  newSheet(name: string, index?: number, rows = 1000, cols = 26): SheetModel {
    const s = new SheetModel(this.nextSheetId++ * 7 + 13, name, rows, cols);
    if (index === undefined || index >= this.sheets.length) this.sheets.push(s);
    else this.sheets.splice(Math.max(0, index), 0, s);
    return s;
  }
}
