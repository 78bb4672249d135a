// Types shared by the main-thread side (apps-script-emulator.ts, http-bridge.ts)
// and the worker side (worker.ts and the service modules). Everything here
// crosses a worker_threads boundary, so it must stay structured-cloneable.

export interface EmulatorOptions {
  /** The built bundle (the exact JS file clasp would push). */
  bundle: string;
  /** Script and spreadsheet time zone (appsscript.json "timeZone"). Default 'Europe/Moscow'. */
  timeZone?: string;
  /** Emulated epoch ms at start. Default: real Date.now(). */
  now?: number;
  /** Email of the active/effective user. Default 'user@example.com'. */
  user?: string;
  /** HTML files of the project, by name without the ".html" extension (HtmlService.createHtmlOutputFromFile). */
  htmlFiles?: Record<string, string>;
  /** Spreadsheet name (Spreadsheet.getName()). Default 'Catalog'. */
  spreadsheetName?: string;
}

export type UiKind = 'alert' | 'prompt' | 'toast' | 'sidebar' | 'dialog' | 'menu';

export interface MenuItemRecord {
  caption: string;
  /** Handler function name; absent for separators and sub-menus. */
  functionName?: string;
  separator?: boolean;
  subMenu?: { title: string; items: MenuItemRecord[] };
}

export interface UiLogEntry {
  kind: UiKind;
  title?: string;
  message?: string;
  html?: string;
  /** Menus: the recorded structure. */
  items?: MenuItemRecord[];
  /** Alerts/prompts: the ButtonSet shown and the button "pressed". */
  buttons?: string;
  answer?: string;
  responseText?: string;
  /** Execution (function name) that produced the entry. */
  fn?: string;
}

export interface PromptAnswer {
  button: 'OK' | 'CANCEL' | 'YES' | 'NO' | 'CLOSE';
  text?: string;
}

export interface ExecutionRecord {
  fn: string;
  /** 'simple' | 'installable' | 'clock' | 'manual' (runFunction / menu / google.script.run). */
  trigger: string;
  authMode: string;
  ms: number;
  error?: string;
  urlFetches: number;
}

export interface SheetInfo {
  frozenRows: number;
  frozenColumns: number;
  lastRow: number;
  lastColumn: number;
  maxRows: number;
  maxColumns: number;
  /** Per cell of the area max(lastRow, last validated row) x max(lastColumn, last validated column); null where none. */
  validations: unknown[][];
  conditionalFormatRules: number;
  tabColor: string | null;
  hiddenColumns: number[];
  columnWidths: Record<number, number>;
  fontWeights: string[][];
  numberFormats: string[][];
}

export interface TriggerInfo {
  handler: string;
  type: string;
  id: string;
  source: string;
}

export interface EditRejection {
  sheet: string;
  a1: string;
  message: string;
}

// ---- HTTP bridge (worker -> main thread) -----------------------------------

export interface WireRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  followRedirects: boolean;
  validateHttpsCertificates: boolean;
}

export type WireResponse =
  | { ok: true; status: number; headers: Array<[string, string]>; body: Uint8Array; finalUrl: string }
  | { ok: false; kind: 'dns' | 'refused' | 'timeout' | 'invalid' | 'other'; message: string };

export interface BridgeCall {
  requests: WireRequest[];
}

export interface BridgeReply {
  responses: WireResponse[];
}

// ---- command channel (main thread -> worker) -------------------------------

export interface CommandMessage {
  id: number;
  method: string;
  args: unknown[];
}

export type ReplyMessage =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { message: string; stack?: string; name?: string } };
