// The state held by the worker: the spreadsheet, stores, triggers, clock,
// logs, and the execution currently running (executions are serialized).
import { randomBytes } from 'node:crypto';
import type { MessagePort } from 'node:worker_threads';
import type vm from 'node:vm';
import type { EditRejection, EmulatorOptions, ExecutionRecord, PromptAnswer, UiLogEntry, MenuItemRecord } from './protocol.ts';
import { SpreadsheetModel } from './sheet-model.ts';
import { gasError } from './realm.ts';

export type AuthModeName = 'NONE' | 'LIMITED' | 'FULL' | 'CUSTOM_FUNCTION';

export interface ExecState {
  fn: string;
  authMode: AuthModeName;
  kind: 'simple' | 'installable' | 'clock' | 'manual';
  uiAvailable: boolean;
  urlFetches: number;
  sleptMs: number;
}

export interface TriggerRecord {
  id: string;
  handler: string;
  eventType: 'ON_OPEN' | 'ON_EDIT' | 'ON_CHANGE' | 'ON_FORM_SUBMIT' | 'CLOCK';
  source: 'SPREADSHEETS' | 'CLOCK';
  sourceId: string | null;
  periodMs?: number;
  nextRun?: number;
  oneShot?: boolean;
  fired?: boolean;
  schedule?: { kind: string; monthDay?: number; hour?: number; minute?: number; timeZone?: string };
}

export interface World {
  opts: Required<Pick<EmulatorOptions, 'timeZone' | 'user'>> & EmulatorOptions;
  scriptId: string;
  ss: SpreadsheetModel;
  clockBase: number;
  realStart: number;
  clockOffset: number;
  props: { script: Map<string, string>; user: Map<string, string>; document: Map<string, string> };
  cache: Map<string, Map<string, { value: string; expires: number }>>;
  triggers: TriggerRecord[];
  uiLog: UiLogEntry[];
  menus: Map<string, MenuItemRecord[]>;
  logs: string[];
  executions: ExecutionRecord[];
  rejections: EditRejection[];
  promptAnswers: PromptAnswer[];
  urlFetchCount: number;
  /** Lock kinds ('script' | 'document' | 'user') that "another execution" holds (simulateLockHeld). */
  foreignLocks: Set<string>;
  script?: vm.Script;
  bridgePort?: MessagePort;
  bridgeSignal?: Int32Array;
  exec?: ExecState;
}

let w: World | undefined;

export function world(): World {
  if (!w) throw new Error('Apps Script emulator world not initialised');
  return w;
}

function randomId(len: number): string {
  return randomBytes(len).toString('base64url').slice(0, len);
}

export function initWorld(opts: EmulatorOptions): World {
  const timeZone = opts.timeZone ?? 'Europe/Moscow';
  const user = opts.user ?? 'user@example.com';
  w = {
    opts: { ...opts, timeZone, user },
    scriptId: `1${randomId(56)}`,
    ss: new SpreadsheetModel(`1${randomId(43)}`, opts.spreadsheetName ?? 'Catalog', timeZone),
    clockBase: opts.now ?? Date.now(),
    realStart: Date.now(),
    clockOffset: 0,
    props: { script: new Map(), user: new Map(), document: new Map() },
    cache: new Map(),
    triggers: [],
    uiLog: [],
    menus: new Map(),
    logs: [],
    executions: [],
    rejections: [],
    promptAnswers: [],
    urlFetchCount: 0,
    foreignLocks: new Set(),
  };
  return w;
}

/** Emulated clock: starts at opts.now, runs with real time, jumps with advanceTime()/Utilities.sleep(). */
export function now(): number {
  const s = world();
  return s.clockBase + (Date.now() - s.realStart) + s.clockOffset;
}

export function advanceClock(ms: number): void {
  if (ms > 0) world().clockOffset += ms;
}

export function currentExec(): ExecState | undefined {
  return w?.exec;
}

/**
 * Simple triggers run in AuthMode.LIMITED and "cannot access services that
 * require authorization".
 * https://developers.google.com/apps-script/guides/triggers#restrictions
 */
export function requireAuthorization(method: string, scope: string): void {
  const e = w?.exec;
  if (e && e.authMode !== 'FULL') {
    throw gasError(`You do not have permission to call ${method}. Required permissions: ${scope}`);
  }
}

export function log(line: string): void {
  world().logs.push(line);
}

export function uniqueTriggerId(): string {
  let s = String(1 + Math.floor(Math.random() * 9));
  for (let i = 0; i < 18; i++) s += String(Math.floor(Math.random() * 10));
  return s;
}
