// A1 notation helpers. https://developers.google.com/sheets/api/guides/concepts#cell

export interface GridRect {
  row: number; // 1-based
  col: number; // 1-based
  numRows: number;
  numCols: number;
}

export interface ParsedA1 {
  sheetName?: string;
  /** Missing bounds mean "to the edge of the sheet" (e.g. 'A:B', '2:5', 'A2:C'). */
  startRow?: number;
  startCol?: number;
  endRow?: number;
  endCol?: number;
}

export function colToLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function lettersToCol(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const CELL = /^\$?([A-Za-z]{0,3})\$?(\d*)$/;

function parseCell(s: string): { row?: number; col?: number } | undefined {
  const m = CELL.exec(s.trim());
  if (!m || (!m[1] && !m[2])) return undefined;
  const col = m[1] ? lettersToCol(m[1]) : undefined;
  const row = m[2] ? Number(m[2]) : undefined;
  if (row === 0) return undefined;
  return { row, col };
}

/** Parses 'A1', 'A1:B2', 'A:A', '2:3', 'A2:C', "'My sheet'!A1:B2". Returns undefined when invalid. */
export function parseA1(input: string): ParsedA1 | undefined {
  let s = input.trim();
  let sheetName: string | undefined;
  const bang = s.lastIndexOf('!');
  if (bang >= 0) {
    sheetName = s.slice(0, bang);
    if (sheetName.startsWith("'") && sheetName.endsWith("'")) sheetName = sheetName.slice(1, -1).replace(/''/g, "'");
    s = s.slice(bang + 1);
  }
  const parts = s.split(':');
  if (parts.length > 2 || !parts[0]) return undefined;
  const a = parseCell(parts[0]);
  if (!a) return undefined;
  if (parts.length === 1) {
    if (a.row === undefined || a.col === undefined) return undefined;
    return { sheetName, startRow: a.row, startCol: a.col, endRow: a.row, endCol: a.col };
  }
  const b = parseCell(parts[1] ?? '');
  if (!b) return undefined;
  const out: ParsedA1 = { sheetName, startRow: a.row, startCol: a.col, endRow: b.row, endCol: b.col };
  // Normalise reversed corners ('B2:A1' == 'A1:B2').
  if (out.startRow !== undefined && out.endRow !== undefined && out.endRow < out.startRow) {
    [out.startRow, out.endRow] = [out.endRow, out.startRow];
  }
  if (out.startCol !== undefined && out.endCol !== undefined && out.endCol < out.startCol) {
    [out.startCol, out.endCol] = [out.endCol, out.startCol];
  }
  return out;
}

/** Resolves open bounds against the sheet size ('A:B' = whole columns, '2:3' = whole rows, 'A2:C' = to the last row). */
export function resolveA1(p: ParsedA1, maxRows: number, maxCols: number): GridRect {
  const row = p.startRow ?? 1;
  const col = p.startCol ?? 1;
  const endRow = p.endRow ?? maxRows;
  const endCol = p.endCol ?? maxCols;
  return { row, col, numRows: endRow - row + 1, numCols: endCol - col + 1 };
}

export function rectToA1(r: GridRect): string {
  const tl = `${colToLetters(r.col)}${r.row}`;
  if (r.numRows === 1 && r.numCols === 1) return tl;
  return `${tl}:${colToLetters(r.col + r.numCols - 1)}${r.row + r.numRows - 1}`;
}

export function quoteSheetName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}
