// The bundle runs in a vm context, i.e. in a different JS realm than the
// emulator's services. Without care, values we hand to the script would be
// instances of *our* Array/Date/Error, so `x instanceof Array` or
// `e instanceof Error` would be false inside the script. Every service method
// is therefore wrapped (`expose`) so that results and thrown errors are
// converted into the script's realm at the boundary. The same wrapper counts
// calls on Spreadsheet-service objects (spreadsheetCalls()).
import type vm from 'node:vm';
import { types } from 'node:util';

export interface Realm {
  ctx: vm.Context;
  Array: ArrayConstructor;
  Object: ObjectConstructor;
  Date: DateConstructor;
  Error: ErrorConstructor;
}

let current: Realm | undefined;
let depth = 0;

export const counters = { spreadsheetCalls: 0 };

export function setRealm(r: Realm | undefined): void {
  current = r;
  depth = 0;
}

export function currentRealm(): Realm | undefined {
  return current;
}

export function isDate(v: unknown): v is Date {
  return types.isDate(v);
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  // Plain objects of either realm: their prototype's prototype is null.
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Converts emulator-realm data (arrays, plain objects, Dates) into the script realm. */
export function toScript(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || !current) return v;
  const r = current;
  if (types.isDate(v)) return new r.Date((v as Date).getTime());
  if (Array.isArray(v)) {
    const out = new r.Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = toScript(v[i]);
    return out;
  }
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) {
    const o = new r.Object() as Record<string, unknown>;
    for (const k of Object.keys(v)) o[k] = toScript((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

/** Converts script-realm data into plain structured-cloneable data for the main thread. */
export function toPlain(v: unknown, seen = new Set<unknown>()): unknown {
  if (v === null || v === undefined) return v;
  if (typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v !== 'object') return v;
  if (types.isDate(v)) return new Date((v as Date).getTime());
  if (seen.has(v)) return undefined;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return toPlain(toJSON.call(v), seen);
  // Emulated service objects (Range, Sheet...) have no data form, like in google.script.run.
  if (v instanceof Object && !Array.isArray(v) && !isPlainObject(v)) return undefined;
  seen.add(v);
  try {
    if (Array.isArray(v)) return v.map((x) => toPlain(x, seen));
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = toPlain((v as Record<string, unknown>)[k], seen);
      if (x !== undefined) o[k] = x;
    }
    return o;
  } finally {
    seen.delete(v);
  }
}

/**
 * An error as Apps Script services throw it: `e.name === 'Exception'`, so the
 * execution log shows "Exception: <message>".
 */
export function gasError(message: string, name = 'Exception'): Error {
  const E = current?.Error ?? Error;
  const e = new E(message);
  e.name = name;
  return e;
}

function toScriptError(e: unknown): unknown {
  if (!current || !(e instanceof Error)) return e; // script-realm errors pass through
  const out = new current.Error(e.message);
  out.name = e.name === 'Error' ? 'Exception' : e.name;
  out.stack = `${out.name}: ${e.message}`;
  return out;
}

/** Runs script code (e.g. template scriptlets) from inside a service method. */
export function scriptCallback<T>(fn: () => T): T {
  const saved = depth;
  depth = 0;
  try {
    return fn();
  } finally {
    depth = saved;
  }
}

/**
 * Wraps every public prototype method (names not starting with '_') of a
 * service class: counts top-level calls (when `counted`) and converts results
 * and errors into the script realm. Calls made by emulator code on other
 * wrapped objects (depth > 0) are neither counted nor converted.
 */
export function expose(cls: { prototype: object }, counted = false): void {
  const proto = cls.prototype as Record<string, unknown>;
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key === 'constructor' || key.startsWith('_')) continue;
    const desc = Object.getOwnPropertyDescriptor(proto, key);
    if (!desc || typeof desc.value !== 'function') continue;
    const fn = desc.value as (...a: unknown[]) => unknown;
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      if (depth > 0) return fn.apply(this, args);
      depth++;
      if (counted && current) counters.spreadsheetCalls++; // only calls made by the script
      try {
        return toScript(fn.apply(this, args));
      } catch (e) {
        throw toScriptError(e);
      } finally {
        depth--;
      }
    };
    Object.defineProperty(wrapped, 'name', { value: key });
    Object.defineProperty(proto, key, { value: wrapped, writable: true, configurable: true, enumerable: false });
  }
}

// ---- enums -----------------------------------------------------------------

/**
 * Apps Script enum values are objects whose toString()/name() give the
 * constant's name (e.g. `String(ScriptApp.AuthMode.FULL) === 'FULL'`) and
 * that compare by identity.
 */
export class EnumValue {
  constructor(
    private readonly enumName: string,
    private readonly constName: string,
    private readonly ord: number,
  ) {}
  toString(): string {
    return this.constName;
  }
  toJSON(): string {
    return this.constName;
  }
  name(): string {
    return this.constName;
  }
  ordinal(): number {
    return this.ord;
  }
  _enum(): string {
    return this.enumName;
  }
}

export type Enum = Readonly<Record<string, EnumValue>>;

export function makeEnum(enumName: string, names: string[]): Enum {
  const o: Record<string, EnumValue> = {};
  names.forEach((n, i) => (o[n] = new EnumValue(enumName, n, i)));
  return Object.freeze(o);
}

/** Accepts an enum value or its name, returns the name. */
export function enumName(v: unknown): string {
  return v instanceof EnumValue ? v.name() : String(v);
}

/** Short type description used in "The parameters (...) don't match the method signature" errors. */
export function describeArgs(args: unknown[]): string {
  return args
    .map((a) => {
      if (a === null) return 'null';
      if (Array.isArray(a)) return Array.isArray(a[0]) ? 'number[][]' : `${typeof a[0] === 'string' ? 'String' : 'number'}[]`;
      if (typeof a === 'string') return 'String';
      if (typeof a === 'number') return 'number';
      if (typeof a === 'boolean') return 'Boolean';
      return 'Object';
    })
    .join(',');
}
