/**
 * The add-on's durable state in Script Properties (9 KB per value, 500 KB per store): the
 * server connection, sync bookkeeping for the status sidebar, and outbox bookkeeping
 * (acknowledgements still to send, ids already applied) that makes applying twice harmless.
 */
const keys = {
  serverUrl: 'SERVER_URL',
  secret: 'SHEET_SECRET',
  pendingAcks: 'PENDING_ACKS',
  appliedOps: 'APPLIED_OPS',
  needsReconcile: 'NEEDS_RECONCILE',
  lastPushAt: 'LAST_PUSH_AT',
  lastReconcileAt: 'LAST_RECONCILE_AT',
  waitingOps: 'WAITING_OPS',
  errors: 'LAST_ERRORS',
} as const;

/** Ids of applied operations kept to skip a second delivery; far more than one pull hands out. */
const appliedMemory = 1000;

function props(): GoogleAppsScript.Properties.Properties {
  return PropertiesService.getScriptProperties();
}

function readJson<T>(key: string, fallback: T): T {
  const raw = props().getProperty(key);
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return fallback;
  }
}

export interface Connection {
  serverUrl: string;
  secret: string;
}

export function connection(): Connection | null {
  const serverUrl = props().getProperty(keys.serverUrl);
  const secret = props().getProperty(keys.secret);
  return serverUrl && secret ? { serverUrl, secret } : null;
}

export function saveConnection(c: Connection): void {
  props().setProperties({ [keys.serverUrl]: c.serverUrl.replace(/\/+$/, ''), [keys.secret]: c.secret });
}

export function pendingAcks(): number[] {
  return readJson<number[]>(keys.pendingAcks, []);
}

export function setPendingAcks(ids: number[]): void {
  if (ids.length === 0) props().deleteProperty(keys.pendingAcks);
  else props().setProperty(keys.pendingAcks, JSON.stringify(ids.slice(-appliedMemory)));
}

export function appliedOps(): Set<number> {
  return new Set(readJson<number[]>(keys.appliedOps, []));
}

export function rememberApplied(ids: number[]): void {
  if (ids.length === 0) return;
  const all = [...appliedOps(), ...ids];
  props().setProperty(keys.appliedOps, JSON.stringify(all.slice(-appliedMemory)));
}

export function needsReconcile(): boolean {
  return props().getProperty(keys.needsReconcile) === '1';
}

export function setNeedsReconcile(value: boolean): void {
  if (value) props().setProperty(keys.needsReconcile, '1');
  else props().deleteProperty(keys.needsReconcile);
}

export function markPushed(at: Date): void {
  props().setProperty(keys.lastPushAt, at.toISOString());
}

export function markReconciled(at: Date): void {
  props().setProperties({ [keys.lastReconcileAt]: at.toISOString(), [keys.lastPushAt]: at.toISOString() });
}

export function lastReconcileAt(): number {
  return Date.parse(props().getProperty(keys.lastReconcileAt) ?? '') || 0;
}

export function setWaitingOps(count: number): void {
  props().setProperty(keys.waitingOps, String(count));
}

/** Keeps the last few errors for the status sidebar (never the secret: messages are ours). */
export function recordError(message: string, at: Date): void {
  const list = readJson<Array<{ at: string; message: string }>>(keys.errors, []);
  list.push({ at: at.toISOString(), message: message.slice(0, 300) });
  props().setProperty(keys.errors, JSON.stringify(list.slice(-5)));
}

export interface SyncState {
  connected: boolean;
  serverUrl: string | null;
  lastPushAt: string | null;
  lastReconcileAt: string | null;
  waitingOps: number;
  pendingAcks: number;
  needsReconcile: boolean;
  errors: Array<{ at: string; message: string }>;
}

export function syncState(): SyncState {
  const all = props().getProperties();
  return {
    connected: Boolean(all[keys.serverUrl] && all[keys.secret]),
    serverUrl: all[keys.serverUrl] ?? null,
    lastPushAt: all[keys.lastPushAt] ?? null,
    lastReconcileAt: all[keys.lastReconcileAt] ?? null,
    waitingOps: Number(all[keys.waitingOps] ?? 0),
    pendingAcks: readJson<number[]>(keys.pendingAcks, []).length,
    needsReconcile: all[keys.needsReconcile] === '1',
    errors: readJson<Array<{ at: string; message: string }>>(keys.errors, []),
  };
}
