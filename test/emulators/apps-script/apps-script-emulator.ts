// Apps Script emulator, main-thread side.
//
// The bundle runs inside a worker_threads Worker (worker.ts) so that the
// synchronous UrlFetchApp.fetch can block the *worker* (Atomics.wait) while
// this thread performs the real HTTP request — an HTTP server living in this
// same process keeps serving meanwhile.
//
// The worker is TypeScript; it is bundled with esbuild once per process into a
// CommonJS string and started with `eval: true`, which works the same under
// vitest, `tsx script.ts` and plain node (no loader flags inherited or needed).
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { threadBundle } from '../../../server/thread-bundle.ts';
import { HttpClient } from './http-bridge.ts';
import type {
  BridgeCall, CommandMessage, EditRejection, EmulatorOptions, ExecutionRecord, MenuItemRecord, PromptAnswer,
  ReplyMessage, SheetInfo, TriggerInfo, UiLogEntry,
} from './protocol.ts';

export type { EmulatorOptions, ExecutionRecord, PromptAnswer, SheetInfo, TriggerInfo, UiLogEntry, MenuItemRecord, EditRejection };

export interface AppsScriptEmulator {
  // setup
  addSheet(name: string, values?: unknown[][]): Promise<void>;
  setScriptProperties(props: Record<string, string>): Promise<void>;
  getScriptProperties(): Promise<Record<string, string>>;
  setProperties(store: 'script' | 'user' | 'document', props: Record<string, string>): Promise<void>;
  getProperties(store: 'script' | 'user' | 'document'): Promise<Record<string, string>>;
  // run what Apps Script runs
  open(): Promise<void>;
  runFunction(name: string, ...args: unknown[]): Promise<unknown>;
  clickMenu(menu: string, ...itemPath: string[]): Promise<unknown>;
  // user actions
  edit(sheet: string, a1: string, value: unknown): Promise<void>;
  paste(sheet: string, a1TopLeft: string, values: unknown[][]): Promise<void>;
  insertRows(sheet: string, beforeRow: number, count: number): Promise<void>;
  deleteRows(sheet: string, row: number, count: number): Promise<void>;
  insertColumns(sheet: string, beforeColumn: number, count: number): Promise<void>;
  deleteColumns(sheet: string, column: number, count: number): Promise<void>;
  sortRows(sheet: string, column: number, ascending?: boolean): Promise<void>;
  select(sheet: string, a1: string): Promise<void>;
  advanceTime(ms: number): Promise<void>;
  now(): Promise<number>;
  answerPrompts(answers: PromptAnswer[]): Promise<void>;
  simulateLockHeld(kind: 'script' | 'document' | 'user', held: boolean): Promise<void>;
  uiLog(): Promise<UiLogEntry[]>;
  menus(): Promise<Record<string, MenuItemRecord[]>>;
  // inspect
  values(sheet: string): Promise<unknown[][]>;
  displayValues(sheet: string): Promise<string[][]>;
  notes(sheet: string): Promise<string[][]>;
  backgrounds(sheet: string): Promise<string[][]>;
  sheetInfo(sheet: string): Promise<SheetInfo>;
  sheetNames(): Promise<string[]>;
  activeRange(): Promise<{ sheet: string; row: number; col: number; numRows: number; numCols: number }>;
  editRejections(): Promise<EditRejection[]>;
  triggers(): Promise<TriggerInfo[]>;
  spreadsheetCalls(): Promise<number>;
  resetSpreadsheetCalls(): Promise<void>;
  logs(): Promise<string[]>;
  clearLogs(): Promise<void>;
  executions(): Promise<ExecutionRecord[]>;
  urlFetchCount(): Promise<number>;
  close(): Promise<void>;
}

let workerSource: string | undefined;

function buildWorker(): string {
  if (!workerSource) {
    const entry = fileURLToPath(new URL('./worker.ts', import.meta.url));
    const out = buildSync({ ...threadBundle(entry), sourcemap: 'inline', sourcesContent: false });
    workerSource = out.outputFiles[0]?.text ?? '';
  }
  return workerSource;
}

class Emulator implements AppsScriptEmulator {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private dead: Error | undefined;

  constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly signal: Int32Array,
    private readonly http: HttpClient,
  ) {
    worker.on('message', (m: ReplyMessage | { type: string }) => {
      if ('type' in m) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.refresh();
      if (m.ok) p.resolve(m.result);
      else {
        const err = new Error(m.error.message);
        if (m.error.stack) err.stack = `${err.name}: ${m.error.message}\n    at <apps script emulator worker>\n${m.error.stack}`;
        p.reject(err);
      }
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`Apps Script emulator worker exited (code ${code})`)));
    port.on('message', (call: BridgeCall) => void this.serveFetch(call));
    port.unref();
    worker.unref();
  }

  /** Keeps the process alive only while a command is in flight. */
  private refresh(): void {
    if (this.pending.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private fail(e: Error): void {
    this.dead ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  private async serveFetch(call: BridgeCall): Promise<void> {
    const responses = await Promise.all(call.requests.map((r) => this.http.request(r)));
    const transfer = responses.flatMap((r) => (r.ok ? [r.body.buffer as ArrayBuffer] : []));
    try {
      this.port.postMessage({ responses }, transfer);
    } finally {
      Atomics.store(this.signal, 0, 1);
      Atomics.notify(this.signal, 0);
    }
  }

  private call<T>(method: string, ...args: unknown[]): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.refresh();
      this.worker.postMessage({ id, method, args } satisfies CommandMessage);
    });
  }

  addSheet(name: string, values?: unknown[][]) { return this.call<void>('addSheet', name, values); }
  setScriptProperties(props: Record<string, string>) { return this.call<void>('setProperties', 'script', props); }
  getScriptProperties() { return this.call<Record<string, string>>('getProperties', 'script'); }
  setProperties(store: 'script' | 'user' | 'document', props: Record<string, string>) { return this.call<void>('setProperties', store, props); }
  getProperties(store: 'script' | 'user' | 'document') { return this.call<Record<string, string>>('getProperties', store); }
  open() { return this.call<void>('open'); }
  runFunction(name: string, ...args: unknown[]) { return this.call<unknown>('runFunction', name, args); }
  clickMenu(menu: string, ...itemPath: string[]) { return this.call<unknown>('clickMenu', [menu, ...itemPath]); }
  async edit(sheet: string, a1: string, value: unknown) { await this.call('edit', sheet, a1, value); }
  async paste(sheet: string, a1TopLeft: string, values: unknown[][]) { await this.call('paste', sheet, a1TopLeft, values); }
  insertRows(sheet: string, beforeRow: number, count: number) { return this.call<void>('insertRows', sheet, beforeRow, count); }
  deleteRows(sheet: string, row: number, count: number) { return this.call<void>('deleteRows', sheet, row, count); }
  insertColumns(sheet: string, beforeColumn: number, count: number) { return this.call<void>('insertColumns', sheet, beforeColumn, count); }
  deleteColumns(sheet: string, column: number, count: number) { return this.call<void>('deleteColumns', sheet, column, count); }
  sortRows(sheet: string, column: number, ascending = true) { return this.call<void>('sortRows', sheet, column, ascending); }
  select(sheet: string, a1: string) { return this.call<void>('select', sheet, a1); }
  async advanceTime(ms: number) { await this.call('advanceTime', ms); }
  now() { return this.call<number>('now'); }
  answerPrompts(answers: PromptAnswer[]) { return this.call<void>('answerPrompts', answers); }
  simulateLockHeld(kind: 'script' | 'document' | 'user', held: boolean) { return this.call<void>('simulateLockHeld', kind, held); }
  uiLog() { return this.call<UiLogEntry[]>('uiLog'); }
  menus() { return this.call<Record<string, MenuItemRecord[]>>('menus'); }
  values(sheet: string) { return this.call<unknown[][]>('values', sheet); }
  displayValues(sheet: string) { return this.call<string[][]>('displayValues', sheet); }
  notes(sheet: string) { return this.call<string[][]>('notes', sheet); }
  backgrounds(sheet: string) { return this.call<string[][]>('backgrounds', sheet); }
  sheetInfo(sheet: string) { return this.call<SheetInfo>('sheetInfo', sheet); }
  sheetNames() { return this.call<string[]>('sheetNames'); }
  activeRange() { return this.call<{ sheet: string; row: number; col: number; numRows: number; numCols: number }>('activeRange'); }
  editRejections() { return this.call<EditRejection[]>('rejections'); }
  triggers() { return this.call<TriggerInfo[]>('triggers'); }
  spreadsheetCalls() { return this.call<number>('spreadsheetCalls'); }
  resetSpreadsheetCalls() { return this.call<void>('resetSpreadsheetCalls'); }
  logs() { return this.call<string[]>('logs'); }
  clearLogs() { return this.call<void>('clearLogs'); }
  executions() { return this.call<ExecutionRecord[]>('executions'); }
  urlFetchCount() { return this.call<number>('urlFetchCount'); }

  async close(): Promise<void> {
    this.dead ??= new Error('Apps Script emulator closed');
    this.port.close();
    this.http.close();
    await this.worker.terminate();
  }
}

export async function startAppsScriptEmulator(opts: EmulatorOptions): Promise<AppsScriptEmulator> {
  const { port1, port2 } = new MessageChannel();
  const sab = new SharedArrayBuffer(4);
  const worker = new Worker(buildWorker(), {
    eval: true,
    workerData: { opts, port: port2, signal: sab },
    transferList: [port2],
    // The worker needs no loader: it is plain bundled JS.
    execArgv: [],
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (m: { type?: string; error?: string }) => {
      if (m.type === 'ready') done(), resolve();
      else if (m.type === 'fatal') done(), void worker.terminate(), reject(new Error(m.error));
    };
    const onError = (e: Error) => (done(), reject(e));
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
  });
  return new Emulator(worker, port1, new Int32Array(sab), new HttpClient());
}
