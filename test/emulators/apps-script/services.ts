// PropertiesService, CacheService, LockService, Session, Logger, console.
import { format, inspect } from 'node:util';
import { createHash } from 'node:crypto';
import { expose, gasError, isPlainObject } from './realm.ts';
import { advanceClock, currentExec, log, now, world } from './world.ts';

// ---- PropertiesService ---------------------------------------------------------
// Quotas: 9 KB per value, 500 KB per property store.
// https://developers.google.com/apps-script/guides/services/quotas#current_limitations
const VALUE_LIMIT = 9 * 1024;
const STORE_LIMIT = 500 * 1024;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

function storeSize(m: Map<string, string>): number {
  let n = 0;
  for (const [k, v] of m) n += bytes(k) + bytes(v);
  return n;
}

export class Properties {
  constructor(readonly _m: Map<string, string>) {}
  _put(updates: Array<[string, string]>, replaceAll = false): void {
    for (const [, v] of updates) if (bytes(v) > VALUE_LIMIT) throw gasError('Argument too large: value');
    const next = new Map(replaceAll ? [] : this._m);
    for (const [k, v] of updates) next.set(k, v);
    if (storeSize(next) > STORE_LIMIT) {
      throw gasError('You have exceeded the property storage quota. Please remove some properties and try again.');
    }
    this._m.clear();
    for (const [k, v] of next) this._m.set(k, v);
  }
  getProperty(key: string): string | null { return this._m.get(String(key)) ?? null; }
  getProperties(): Record<string, string> { return Object.fromEntries(this._m); }
  getKeys(): string[] { return [...this._m.keys()]; }
  setProperty(key: string, value: unknown): Properties {
    this._put([[String(key), String(value)]]);
    return this;
  }
  setProperties(properties: Record<string, unknown>, deleteAllOthers = false): Properties {
    if (!isPlainObject(properties)) throw gasError("The parameters (String) don't match the method signature for PropertiesService.Properties.setProperties.");
    this._put(Object.entries(properties).map(([k, v]) => [k, String(v)]), !!deleteAllOthers);
    return this;
  }
  deleteProperty(key: string): Properties { this._m.delete(String(key)); return this; }
  deleteAllProperties(): Properties { this._m.clear(); return this; }
}

export class PropertiesServiceImpl {
  getScriptProperties(): Properties { return new Properties(world().props.script); }
  getUserProperties(): Properties { return new Properties(world().props.user); }
  getDocumentProperties(): Properties { return new Properties(world().props.document); }
}

// ---- CacheService ----------------------------------------------------------------
// https://developers.google.com/apps-script/reference/cache/cache (100 KB per value, 6 h max expiration)
export class Cache {
  constructor(readonly _m: Map<string, { value: string; expires: number }>) {}
  _live(key: string): string | null {
    const e = this._m.get(String(key));
    if (!e) return null;
    if (e.expires <= now()) {
      this._m.delete(String(key));
      return null;
    }
    return e.value;
  }
  get(key: string): string | null { return this._live(key); }
  getAll(keys: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const k of keys) {
      const v = this._live(k);
      if (v !== null) out[k] = v;
    }
    return out;
  }
  put(key: string, value: unknown, expirationInSeconds = 600): void {
    const v = String(value);
    if (String(key).length > 250) throw gasError('Argument too large: key');
    if (bytes(v) > 100 * 1024) throw gasError('Argument too large: value');
    const secs = Math.min(Math.max(1, Number(expirationInSeconds)), 21600);
    this._m.set(String(key), { value: v, expires: now() + secs * 1000 });
  }
  putAll(values: Record<string, unknown>, expirationInSeconds = 600): void {
    for (const [k, v] of Object.entries(values)) this.put(k, v, expirationInSeconds);
  }
  remove(key: string): void { this._m.delete(String(key)); }
  removeAll(keys: string[]): void { for (const k of keys) this._m.delete(String(k)); }
}

function cacheOf(name: string): Cache {
  const caches = world().cache;
  let m = caches.get(name);
  if (!m) caches.set(name, (m = new Map()));
  return new Cache(m);
}

export class CacheServiceImpl {
  getScriptCache(): Cache { return cacheOf('script'); }
  getUserCache(): Cache { return cacheOf('user'); }
  getDocumentCache(): Cache { return cacheOf('document'); }
}

// ---- LockService -------------------------------------------------------------------
// Executions are serialized by the emulator, so a lock is always free unless
// a test simulates another execution holding it (simulateLockHeld). Locks are
// released when the execution ends, as Apps Script does.
// https://developers.google.com/apps-script/reference/lock/lock
const execLocks: Lock[] = [];

export class Lock {
  _held = false;
  constructor(readonly _kind: string) {}
  tryLock(timeoutInMillis: number): boolean {
    if (this._held) return true;
    if (world().foreignLocks.has(this._kind)) {
      // The caller waits the whole timeout on the emulated clock.
      const ms = Math.max(0, Number(timeoutInMillis) || 0);
      advanceClock(ms);
      const e = currentExec();
      if (e) e.sleptMs += ms;
      return false;
    }
    this._held = true;
    execLocks.push(this);
    return true;
  }
  waitLock(timeoutInMillis: number): void {
    if (!this.tryLock(timeoutInMillis)) throw gasError('Lock timeout: another process was holding the lock for too long.');
  }
  releaseLock(): void { this._held = false; }
  hasLock(): boolean { return this._held; }
}

export function releaseExecutionLocks(): void {
  for (const l of execLocks.splice(0)) l._held = false;
}

export class LockServiceImpl {
  getScriptLock(): Lock { return new Lock('script'); }
  getDocumentLock(): Lock { return new Lock('document'); }
  getUserLock(): Lock { return new Lock('user'); }
}

// ---- Session -----------------------------------------------------------------------
export class User {
  constructor(readonly _email: string) {}
  getEmail(): string { return this._email; }
  getUserLoginId(): string { return this._email; }
  toString(): string { return this._email; }
}

export class SessionImpl {
  getActiveUser(): User { return new User(world().opts.user); }
  getEffectiveUser(): User { return new User(world().opts.user); }
  getScriptTimeZone(): string { return world().opts.timeZone; }
  getActiveUserLocale(): string { return 'en'; }
  getTimeZone(): string { return world().opts.timeZone; }
  getTemporaryActiveUserKey(): string {
    return createHash('sha256').update(`${world().scriptId}:${world().opts.user}`).digest('base64').slice(0, 43);
  }
}

// ---- Logger / console ---------------------------------------------------------------
function fmt(args: unknown[]): string {
  if (typeof args[0] === 'string') return format(...(args as [string, ...unknown[]]));
  return args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 4 }))).join(' ');
}

export class LoggerImpl {
  readonly _lines: string[] = [];
  log(...args: unknown[]): LoggerImpl {
    const line = fmt(args);
    this._lines.push(line);
    log(line);
    return this;
  }
  getLog(): string { return this._lines.join('\n'); }
  clear(): void { this._lines.length = 0; }
}

export function makeConsole(): Record<string, (...a: unknown[]) => void> {
  const timers = new Map<string, number>();
  const out = (prefix: string) => (...a: unknown[]) => log(prefix + fmt(a));
  return {
    log: out(''),
    info: out(''),
    debug: out(''),
    warn: out(''),
    error: out(''),
    time: (label = 'default') => void timers.set(String(label), Date.now()),
    timeEnd: (label = 'default') => {
      const t = timers.get(String(label));
      if (t !== undefined) log(`${label}: ${Date.now() - t}ms`);
    },
  };
}

for (const cls of [Properties, PropertiesServiceImpl, Cache, CacheServiceImpl, Lock, LockServiceImpl, User, SessionImpl, LoggerImpl]) expose(cls);
