// Runs one Apps Script execution: a fresh global scope (Apps Script loads the
// project anew for every execution, so globals never survive between runs),
// the bundle evaluated into it, then the named top-level function called.
// https://developers.google.com/apps-script/guides/v8-runtime
import vm from 'node:vm';
import { types } from 'node:util';
import { setRealm, toPlain, toScript, type Realm } from './realm.ts';
import { SpreadsheetAppService } from './spreadsheet.ts';
import { UrlFetchAppImpl } from './urlfetch.ts';
import { CacheServiceImpl, LockServiceImpl, LoggerImpl, PropertiesServiceImpl, SessionImpl, makeConsole, releaseExecutionLocks } from './services.ts';
import { ScriptAppService } from './triggers.ts';
import { UtilitiesService } from './utilities.ts';
import { HtmlServiceImpl } from './ui.ts';
import { log, now, world, type AuthModeName, type ExecState } from './world.ts';
import type { ExecutionRecord } from './protocol.ts';

// "Script runtime: 6 min / execution"; simple triggers: "They cannot run for longer than 30 seconds."
// https://developers.google.com/apps-script/guides/services/quotas#current_limitations
// https://developers.google.com/apps-script/guides/triggers#restrictions
const SIMPLE_LIMIT_MS = 30_000;
const EXECUTION_LIMIT_MS = 6 * 60_000;

const MIME: Record<string, string> = {
  JSON: 'application/json', CSV: 'text/csv', PLAIN_TEXT: 'text/plain', HTML: 'text/html', PDF: 'application/pdf',
  PNG: 'image/png', JPEG: 'image/jpeg', ZIP: 'application/zip', GOOGLE_SHEETS: 'application/vnd.google-apps.spreadsheet',
};

const DATE_SHIM = `(function (nowFn) {
  var RealDate = Date;
  function EmulatedDate() {
    if (!new.target) return new RealDate(nowFn()).toString();
    var args = Array.prototype.slice.call(arguments);
    return Reflect.construct(RealDate, args.length ? args : [nowFn()], new.target);
  }
  Object.setPrototypeOf(EmulatedDate, RealDate);
  EmulatedDate.prototype = RealDate.prototype;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: EmulatedDate, writable: true, configurable: true });
  EmulatedDate.now = function () { return nowFn(); };
  globalThis.Date = EmulatedDate;
  return EmulatedDate;
})`;

function createGlobals(): { ctx: vm.Context; realm: Realm } {
  // microtaskMode 'afterEvaluate': promise jobs queued by the script run before
  // each evaluation returns, so async handlers finish inside their execution.
  const ctx = vm.createContext({}, { name: 'Apps Script', microtaskMode: 'afterEvaluate' });
  const installDate = vm.runInContext(DATE_SHIM, ctx) as (n: () => number) => DateConstructor;
  const realm: Realm = {
    ctx,
    Array: vm.runInContext('Array', ctx) as ArrayConstructor,
    Object: vm.runInContext('Object', ctx) as ObjectConstructor,
    Date: installDate(now),
    Error: vm.runInContext('Error', ctx) as ErrorConstructor,
  };
  const mimeType: Record<string, string> = {};
  // MimeType.JSON etc. are plain MIME strings in Apps Script.
  for (const [k, v] of Object.entries(MIME)) mimeType[k] = v;
  Object.assign(ctx, {
    SpreadsheetApp: new SpreadsheetAppService(),
    UrlFetchApp: new UrlFetchAppImpl(),
    PropertiesService: new PropertiesServiceImpl(),
    CacheService: new CacheServiceImpl(),
    LockService: new LockServiceImpl(),
    Session: new SessionImpl(),
    ScriptApp: new ScriptAppService(),
    Utilities: new UtilitiesService(),
    HtmlService: new HtmlServiceImpl(),
    Logger: new LoggerImpl(),
    console: makeConsole(),
    MimeType: mimeType,
  });
  return { ctx, realm };
}

export interface RunSpec {
  fn: string;
  args?: unknown[];
  kind: ExecState['kind'];
  authMode: AuthModeName;
  uiAvailable: boolean;
  /** Simple triggers run only if the function exists; nothing is recorded otherwise. */
  optional?: boolean;
}

export interface RunResult {
  ran: boolean;
  ok: boolean;
  result?: unknown;
  error?: string;
}

function errorText(e: unknown): string {
  if (e && typeof e === 'object' && 'message' in e) {
    const name = String((e as { name?: unknown }).name ?? 'Error');
    return `${name}: ${String((e as { message: unknown }).message)}`;
  }
  return String(e);
}

function lookup(ctx: vm.Context, name: string): unknown {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return undefined;
  return vm.runInContext(`typeof ${name} === 'function' ? ${name} : undefined`, ctx);
}

export function execute(spec: RunSpec): RunResult {
  const w = world();
  if (!w.script) throw new Error('No bundle loaded');
  const limit = spec.kind === 'simple' ? SIMPLE_LIMIT_MS : EXECUTION_LIMIT_MS;
  const exec: ExecState = { fn: spec.fn, authMode: spec.authMode, kind: spec.kind, uiAvailable: spec.uiAvailable, urlFetches: 0, sleptMs: 0 };
  const started = Date.now();
  const { ctx, realm } = createGlobals();
  setRealm(realm);
  w.exec = exec;
  let outcome: RunResult = { ran: true, ok: true };
  try {
    w.script.runInContext(ctx, { timeout: limit });
    const f = lookup(ctx, spec.fn);
    if (typeof f !== 'function') {
      if (spec.optional) return (outcome = { ran: false, ok: true });
      throw new realm.Error(`Script function not found: ${spec.fn}`);
    }
    const args = (spec.args ?? []).map((a) => toScript(a));
    (ctx as Record<string, unknown>).__emulatorCall = { f, args };
    let result = vm.runInContext('__emulatorCall.f.apply(undefined, __emulatorCall.args)', ctx, { timeout: limit });
    delete (ctx as Record<string, unknown>).__emulatorCall;
    if (types.isPromise(result)) {
      // The reactions must be functions of the context so that their jobs go
      // to the context's microtask queue, which drains when this evaluation ends.
      (ctx as Record<string, unknown>).__emulatorPromise = result;
      const s = vm.runInContext(
        `(function () { var s = {}; __emulatorPromise.then(function (v) { s.ok = true; s.v = v; }, function (e) { s.ok = false; s.v = e; }); return s; })()`,
        ctx,
        { timeout: limit },
      ) as { ok?: boolean; v?: unknown };
      delete (ctx as Record<string, unknown>).__emulatorPromise;
      if (s.ok === undefined) throw new realm.Error('The execution returned a promise that never settled.');
      if (!s.ok) throw s.v;
      result = s.v;
    }
    outcome.result = toPlain(result);
  } catch (e) {
    const text = /Script execution timed out/.test(String((e as Error)?.message)) ? 'Exceeded maximum execution time' : errorText(e);
    outcome = { ran: true, ok: false, error: text };
  } finally {
    releaseExecutionLocks();
    setRealm(undefined);
    w.exec = undefined;
    if (outcome.ran) {
      const ms = Date.now() - started;
      if (outcome.ok && ms + exec.sleptMs > limit) outcome = { ran: true, ok: false, error: 'Exceeded maximum execution time' };
      const rec: ExecutionRecord = { fn: spec.fn, trigger: spec.kind, authMode: spec.authMode, ms, urlFetches: exec.urlFetches };
      if (outcome.error) rec.error = outcome.error;
      w.executions.push(rec);
      if (outcome.error) log(`${spec.fn}: ${outcome.error}`);
    }
  }
  return outcome;
}
