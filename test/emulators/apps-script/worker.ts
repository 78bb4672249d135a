// Worker entry: holds the emulated Apps Script project (spreadsheet,
// properties, triggers) and executes the bundle on request from the main
// thread (apps-script-emulator.ts). Commands are handled one at a time, so
// executions are serialized like in a single Apps Script user session.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import vm from 'node:vm';
import type { CommandMessage, EmulatorOptions, PromptAnswer, ReplyMessage, SheetInfo, TriggerInfo } from './protocol.ts';
import { counters } from './realm.ts';
import { initWorld, now, world } from './world.ts';
import { execute } from './runtime.ts';
import { displayValue, rawCell } from './cells.ts';
import { Properties } from './services.ts';
import { Range } from './range.ts';
import { rectToA1 } from './a1.ts';
import {
  addSheet, advanceTime, clickMenu, sheetModel, userDeleteColumns, userDeleteRows, userEdit, userInsertColumns,
  userInsertRows, userOpen, userPaste, userSelect, userSort,
} from './user-actions.ts';

interface Init {
  opts: EmulatorOptions;
  port: MessagePort;
  signal: SharedArrayBuffer;
}

const init = workerData as Init;

function grid<T>(sheetName: string, fn: (r: number, c: number) => T, includeFormats: boolean): T[][] {
  const s = sheetModel(sheetName);
  let rows = s.lastRow();
  let cols = s.lastCol();
  if (includeFormats) {
    s.formats.forEach((row, i) =>
      row?.forEach((f, j) => {
        if (f && (f.note || f.background)) {
          rows = Math.max(rows, i + 1);
          cols = Math.max(cols, j + 1);
        }
      }),
    );
  }
  const out: T[][] = [];
  for (let r = 1; r <= rows; r++) {
    const row: T[] = [];
    for (let c = 1; c <= cols; c++) row.push(fn(r, c));
    out.push(row);
  }
  return out;
}

function storeOf(name: string): Map<string, string> {
  const p = world().props;
  if (name === 'script' || name === 'user' || name === 'document') return p[name];
  throw new Error(`Emulator: unknown property store "${name}"`);
}

const handlers: Record<string, (...args: never[]) => unknown> = {
  addSheet: (name: string, values?: unknown[][]) => addSheet(name, values),
  setProperties: (store: string, props: Record<string, string>) => {
    // Same quotas as scripts get (9 KB per value, 500 KB per store).
    new Properties(storeOf(store))._put(Object.entries(props).map(([k, v]) => [k, String(v)]), true);
  },
  getProperties: (store: string) => Object.fromEntries(storeOf(store)),
  open: () => userOpen(),
  runFunction: (name: string, args: unknown[]) => {
    const r = execute({ fn: name, args, kind: 'manual', authMode: 'FULL', uiAvailable: true });
    if (!r.ok) throw new Error(r.error);
    return r.result;
  },
  clickMenu: (path: string[]) => {
    const r = clickMenu(path);
    if (!r.ok) throw new Error(r.error);
    return r.result;
  },
  edit: (sheet: string, a1: string, value: unknown) => userEdit(sheet, a1, value),
  paste: (sheet: string, a1: string, values: unknown[][]) => userPaste(sheet, a1, values),
  insertRows: (sheet: string, before: number, count: number) => userInsertRows(sheet, before, count),
  deleteRows: (sheet: string, row: number, count: number) => userDeleteRows(sheet, row, count),
  insertColumns: (sheet: string, before: number, count: number) => userInsertColumns(sheet, before, count),
  deleteColumns: (sheet: string, col: number, count: number) => userDeleteColumns(sheet, col, count),
  sortRows: (sheet: string, column: number, ascending?: boolean) => userSort(sheet, column, ascending ?? true),
  select: (sheet: string, a1: string) => userSelect(sheet, a1),
  advanceTime: (ms: number) => advanceTime(ms),
  now: () => now(),
  answerPrompts: (answers: PromptAnswer[]) => void world().promptAnswers.push(...answers),
  pendingPromptAnswers: () => world().promptAnswers.length,
  uiLog: () => world().uiLog,
  menus: () => Object.fromEntries(world().menus),
  values: (sheet: string) => grid(sheet, (r, c) => sheetModel(sheet).get(r, c), false),
  displayValues: (sheet: string) => {
    const s = sheetModel(sheet);
    return grid(sheet, (r, c) => displayValue(s.get(r, c), s.fmt(r, c)?.numberFormat, world().ss.timeZone), false);
  },
  notes: (sheet: string) => grid(sheet, (r, c) => sheetModel(sheet).fmt(r, c)?.note ?? '', true),
  backgrounds: (sheet: string) => grid(sheet, (r, c) => sheetModel(sheet).fmt(r, c)?.background ?? '#ffffff', true),
  setCells: (sheet: string, a1Row: number, a1Col: number, values: unknown[][]) => {
    const s = sheetModel(sheet);
    values.forEach((row, i) => row.forEach((v, j) => s.set(a1Row + i, a1Col + j, rawCell(v))));
  },
  sheetInfo: (sheet: string): SheetInfo => {
    const s = sheetModel(sheet);
    const rows = Math.max(s.lastRow(), s.lastFormattedRow());
    const cols = Math.max(s.lastCol(), s.lastFormattedCol());
    const area = <T>(fn: (r: number, c: number) => T): T[][] =>
      Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => fn(i + 1, j + 1)));
    return {
      frozenRows: s.frozenRows,
      frozenColumns: s.frozenCols,
      lastRow: s.lastRow(),
      lastColumn: s.lastCol(),
      maxRows: s.maxRows,
      maxColumns: s.maxCols,
      validations: area((r, c) => {
        const v = s.fmt(r, c)?.validation;
        if (!v) return null;
        // A Range criterion (requireValueInRange) is reported as 'Sheet!A1:B2'.
        const values = v.values.map((x) => (x instanceof Range ? `${x._sheet.name}!${rectToA1({ row: x._row, col: x._col, numRows: x._numRows, numCols: x._numCols })}` : x));
        return { criteria: v.type, values, allowInvalid: v.allowInvalid, helpText: v.helpText };
      }),
      conditionalFormatRules: s.conditionalRules.length,
      tabColor: s.tabColor,
      hiddenColumns: [...s.hiddenCols].sort((a, b) => a - b),
      columnWidths: Object.fromEntries(s.columnWidths),
      fontWeights: area((r, c) => s.fmt(r, c)?.fontWeight ?? 'normal'),
      numberFormats: area((r, c) => s.fmt(r, c)?.numberFormat ?? 'General'),
    };
  },
  sheetNames: () => world().ss.sheets.map((s) => s.name),
  activeRange: () => {
    const ss = world().ss;
    return { sheet: ss.activeSheet.name, ...ss.activeRange };
  },
  triggers: (): TriggerInfo[] =>
    world().triggers.map((t) => ({ handler: t.handler, type: t.eventType, id: t.id, source: t.source })),
  spreadsheetCalls: () => counters.spreadsheetCalls,
  resetSpreadsheetCalls: () => void (counters.spreadsheetCalls = 0),
  logs: () => world().logs,
  clearLogs: () => void (world().logs.length = 0),
  executions: () => world().executions,
  rejections: () => world().rejections,
  urlFetchCount: () => world().urlFetchCount,
  simulateLockHeld: (kind: string, held: boolean) => void (held ? world().foreignLocks.add(kind) : world().foreignLocks.delete(kind)),
};

function reply(msg: ReplyMessage): void {
  try {
    parentPort!.postMessage(msg);
  } catch {
    // Result not structured-cloneable: send a JSON-safe copy.
    parentPort!.postMessage(msg.ok ? { id: msg.id, ok: true, result: JSON.parse(JSON.stringify(msg.result ?? null)) } : msg);
  }
}

function start(): void {
  const w = initWorld(init.opts);
  w.bridgePort = init.port;
  w.bridgeSignal = new Int32Array(init.signal);
  try {
    w.script = new vm.Script(init.opts.bundle, { filename: 'bundle.js' });
  } catch (e) {
    parentPort!.postMessage({ type: 'fatal', error: `The bundle does not compile: ${(e as Error).message}` });
    return;
  }
  parentPort!.on('message', (msg: CommandMessage) => {
    const h = handlers[msg.method];
    try {
      if (!h) throw new Error(`Emulator: unknown command ${msg.method}`);
      const result = (h as (...a: unknown[]) => unknown)(...msg.args);
      reply({ id: msg.id, ok: true, result });
    } catch (e) {
      const err = e as Error;
      reply({ id: msg.id, ok: false, error: { message: String(err?.message ?? err), stack: err?.stack, name: err?.name } });
    }
  });
  parentPort!.postMessage({ type: 'ready' });
}

start();
