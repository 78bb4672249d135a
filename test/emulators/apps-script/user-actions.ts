// What a user does in the spreadsheet, and the triggers Apps Script fires for it.
// Event objects: https://developers.google.com/apps-script/guides/triggers/events#google_sheets_events
// Only user actions fire triggers: "Script executions and API requests do not
// cause triggers to run." https://developers.google.com/apps-script/guides/triggers/installable#restrictions
import { parseA1, resolveA1, rectToA1 } from './a1.ts';
import { eventString, parseInput, rawCell, type CellValue } from './cells.ts';
import type { SheetModel } from './sheet-model.ts';
import type { MenuItemRecord } from './protocol.ts';
import { Range } from './range.ts';
import { Sheet } from './sheet.ts';
import { Spreadsheet } from './spreadsheet.ts';
import { User } from './services.ts';
import { AuthMode, nextRun } from './triggers.ts';
import { checkValidation } from './validation.ts';
import { execute, type RunResult } from './runtime.ts';
import { zonedParts } from './dates.ts';
import { advanceClock, now, world, type TriggerRecord } from './world.ts';

export function sheetModel(name: string): SheetModel {
  const s = world().ss.byName(name);
  if (!s) throw new Error(`Emulator: no sheet named "${name}"`);
  return s;
}

function rect(sheet: SheetModel, a1: string) {
  const p = parseA1(a1);
  if (!p) throw new Error(`Emulator: bad A1 notation "${a1}"`);
  return resolveA1(p, sheet.maxRows, sheet.maxCols);
}

function baseEvent(authMode: 'LIMITED' | 'FULL', trigger?: TriggerRecord): Record<string, unknown> {
  const e: Record<string, unknown> = { authMode: AuthMode[authMode], source: new Spreadsheet(), user: new User(world().opts.user) };
  if (trigger) e.triggerUid = trigger.id;
  return e;
}

function spreadsheetTriggers(type: TriggerRecord['eventType']): TriggerRecord[] {
  const w = world();
  return w.triggers.filter((t) => t.eventType === type && t.source === 'SPREADSHEETS' && t.sourceId === w.ss.id);
}

function runInstallable(type: TriggerRecord['eventType'], extra: (t: TriggerRecord) => Record<string, unknown>): void {
  for (const t of spreadsheetTriggers(type)) {
    if (!world().triggers.includes(t)) continue; // deleted by an earlier handler
    execute({ fn: t.handler, args: [{ ...baseEvent('FULL', t), ...extra(t) }], kind: 'installable', authMode: 'FULL', uiAvailable: true });
  }
}

/** Simple trigger then installable triggers for an edit, then onChange(EDIT). */
function fireEdit(range: Range, single: { value?: CellValue; oldValue?: CellValue } | undefined): void {
  const tz = world().ss.timeZone;
  const values: Record<string, unknown> = { range };
  if (single) {
    const v = eventString(single.value, tz);
    const o = eventString(single.oldValue, tz);
    if (v !== undefined) values.value = v;
    if (o !== undefined) values.oldValue = o;
  }
  execute({ fn: 'onEdit', args: [{ ...baseEvent('LIMITED'), ...values }], kind: 'simple', authMode: 'LIMITED', uiAvailable: true, optional: true });
  runInstallable('ON_EDIT', () => values);
  fireChange('EDIT');
}

export function fireChange(changeType: string): void {
  runInstallable('ON_CHANGE', () => ({ changeType }));
}

function reject(sheet: SheetModel, a1: string, message: string): { rejected: string } {
  world().rejections.push({ sheet: sheet.name, a1, message });
  return { rejected: message };
}

export function userEdit(sheetName: string, a1: string, value: unknown): { rejected?: string } {
  const sheet = sheetModel(sheetName);
  const r = rect(sheet, a1);
  if (r.numRows !== 1 || r.numCols !== 1) throw new Error('Emulator: edit() takes a single cell; use paste() for blocks');
  const parsed = parseInput(value, sheet.fmt(r.row, r.col)?.numberFormat, world().ss.timeZone);
  const rule = sheet.fmt(r.row, r.col)?.validation;
  // "Reject input": the Sheets UI refuses the value, the cell keeps its content and no trigger runs.
  const problem = rule && !rule.allowInvalid ? checkValidation(rule, parsed) : undefined;
  if (problem) return reject(sheet, rectToA1(r), problem);
  const oldValue = sheet.get(r.row, r.col);
  sheet.set(r.row, r.col, parsed);
  world().ss.pristineDefault = false;
  fireEdit(new Range(sheet, r.row, r.col, 1, 1), { value: parsed, oldValue });
  return {};
}

export function userPaste(sheetName: string, a1: string, values: unknown[][]): { rejected?: string } {
  const sheet = sheetModel(sheetName);
  const tl = rect(sheet, a1);
  const numRows = values.length;
  const numCols = Math.max(0, ...values.map((r) => r.length));
  if (!numRows || !numCols) throw new Error('Emulator: paste() needs a non-empty block');
  // Pasting past the grid adds rows/columns, as the Sheets UI does.
  if (tl.row + numRows - 1 > sheet.maxRows) sheet.insertRows(sheet.maxRows + 1, tl.row + numRows - 1 - sheet.maxRows);
  if (tl.col + numCols - 1 > sheet.maxCols) sheet.insertCols(sheet.maxCols + 1, tl.col + numCols - 1 - sheet.maxCols);
  const tz = world().ss.timeZone;
  const parsed = values.map((row, i) => Array.from({ length: numCols }, (_, j) => parseInput(row[j], sheet.fmt(tl.row + i, tl.col + j)?.numberFormat, tz)));
  const block = { row: tl.row, col: tl.col, numRows, numCols };
  for (let i = 0; i < numRows; i++) {
    for (let j = 0; j < numCols; j++) {
      const rule = sheet.fmt(tl.row + i, tl.col + j)?.validation;
      const problem = rule && !rule.allowInvalid ? checkValidation(rule, parsed[i]?.[j]) : undefined;
      if (problem) return reject(sheet, rectToA1(block), problem);
    }
  }
  parsed.forEach((row, i) => row.forEach((v, j) => sheet.set(tl.row + i, tl.col + j, v)));
  world().ss.pristineDefault = false;
  fireEdit(new Range(sheet, block.row, block.col, numRows, numCols), undefined);
  return {};
}

export function userInsertRows(sheetName: string, beforeRow: number, count: number): void {
  new Sheet(sheetModel(sheetName)).insertRowsBefore(beforeRow, count);
  fireChange('INSERT_ROW');
}

export function userDeleteRows(sheetName: string, row: number, count: number): void {
  new Sheet(sheetModel(sheetName)).deleteRows(row, count);
  fireChange('REMOVE_ROW');
}

export function userInsertColumns(sheetName: string, beforeColumn: number, count: number): void {
  sheetModel(sheetName).insertCols(beforeColumn, count);
  fireChange('INSERT_COLUMN');
}

export function userDeleteColumns(sheetName: string, column: number, count: number): void {
  sheetModel(sheetName).deleteCols(column, count);
  fireChange('REMOVE_COLUMN');
}

export function userSort(sheetName: string, column: number, ascending = true): void {
  new Sheet(sheetModel(sheetName)).sort(column, ascending);
  fireChange('OTHER');
}

export function userSelect(sheetName: string, a1: string): void {
  const sheet = sheetModel(sheetName);
  const r = rect(sheet, a1);
  const range = new Range(sheet, r.row, r.col, r.numRows, r.numCols);
  range.activate();
  execute({ fn: 'onSelectionChange', args: [{ ...baseEvent('LIMITED'), range }], kind: 'simple', authMode: 'LIMITED', uiAvailable: true, optional: true });
}

export function userOpen(): void {
  execute({ fn: 'onOpen', args: [baseEvent('LIMITED')], kind: 'simple', authMode: 'LIMITED', uiAvailable: true, optional: true });
  runInstallable('ON_OPEN', () => ({}));
}

/** Menu items run the function with full authorization. */
export function clickMenu(path: string[]): RunResult {
  const [top, ...rest] = path;
  let items: MenuItemRecord[] = world().menus.get(String(top)) ?? [];
  if (!world().menus.has(String(top))) throw new Error(`Emulator: no menu "${top}" (did open() run?)`);
  for (let i = 0; i < rest.length; i++) {
    const item: MenuItemRecord | undefined = items.find((it) => it.caption === rest[i]);
    if (!item) throw new Error(`Emulator: no menu item "${rest[i]}" in "${path.slice(0, i + 1).join(' > ')}"`);
    if (i === rest.length - 1) {
      if (!item.functionName) throw new Error(`Emulator: "${rest[i]}" is not a menu item`);
      return execute({ fn: item.functionName, kind: 'manual', authMode: 'FULL', uiAvailable: true });
    }
    items = item.subMenu?.items ?? [];
  }
  throw new Error('Emulator: clickMenu needs a menu name and an item caption');
}

/** Time-driven event object; its fields are in UTC. https://developers.google.com/apps-script/guides/triggers/events#time-driven_events */
function clockEvent(t: TriggerRecord, at: number): Record<string, unknown> {
  const p = zonedParts(at, 'UTC');
  const jan1 = Date.UTC(p.year, 0, 1);
  return {
    authMode: AuthMode.FULL,
    'day-of-month': p.day,
    'day-of-week': p.weekday,
    hour: p.hour,
    minute: p.minute,
    month: p.month,
    second: p.second,
    timezone: 'UTC',
    triggerUid: t.id,
    'week-of-year': Math.ceil(((at - jan1) / 86400000 + new Date(jan1).getUTCDay() + 1) / 7),
    year: p.year,
  };
}

/** Moves the clock forward, running each clock trigger whenever it falls due (in time order). */
export function advanceTime(ms: number, maxRuns = 10_000): number {
  if (!(ms >= 0)) throw new Error('Emulator: advanceTime needs a non-negative number of ms');
  const target = now() + ms;
  let runs = 0;
  for (;;) {
    const due = world()
      .triggers.filter((t) => t.eventType === 'CLOCK' && !t.fired && t.nextRun !== undefined && t.nextRun <= target)
      .sort((a, b) => (a.nextRun as number) - (b.nextRun as number))[0];
    if (!due) break;
    if (++runs > maxRuns) throw new Error(`Emulator: more than ${maxRuns} clock trigger runs in one advanceTime()`);
    const at = due.nextRun as number;
    if (at > now()) advanceClock(at - now());
    if (due.oneShot) due.fired = true;
    else due.nextRun = nextRun(due);
    execute({ fn: due.handler, args: [clockEvent(due, at)], kind: 'clock', authMode: 'FULL', uiAvailable: false });
  }
  if (target > now()) advanceClock(target - now());
  return runs;
}

/** Test setup: writes raw values (no string parsing) into a new sheet, or into the untouched default 'Sheet1'. */
export function addSheet(name: string, values?: unknown[][]): void {
  const ss = world().ss;
  if (ss.byName(name) && !(ss.pristineDefault && name === 'Sheet1')) throw new Error(`Emulator: sheet "${name}" already exists`);
  const rows = values?.length ?? 0;
  const cols = Math.max(0, ...(values ?? []).map((r) => r.length));
  let sheet: SheetModel;
  if (ss.pristineDefault && ss.sheets.length === 1) {
    sheet = ss.sheets[0] as SheetModel;
    sheet.name = name;
  } else {
    sheet = ss.newSheet(name);
  }
  sheet.maxRows = Math.max(sheet.maxRows, rows);
  sheet.maxCols = Math.max(sheet.maxCols, cols);
  values?.forEach((row, i) => row.forEach((v, j) => sheet.set(i + 1, j + 1, rawCell(v))));
  ss.pristineDefault = false;
}
