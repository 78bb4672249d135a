// ScriptApp and installable triggers.
// https://developers.google.com/apps-script/reference/script/script-app
// https://developers.google.com/apps-script/guides/triggers/installable
import { randomBytes } from 'node:crypto';
import { expose, gasError, isDate, makeEnum, type EnumValue } from './realm.ts';
import { zonedParts, zonedToEpoch } from './dates.ts';
import { Spreadsheet } from './spreadsheet.ts';
import { now, requireAuthorization, uniqueTriggerId, world, type TriggerRecord } from './world.ts';

export const AuthMode = makeEnum('AuthMode', ['NONE', 'CUSTOM_FUNCTION', 'LIMITED', 'FULL']);
export const EventType = makeEnum('EventType', ['CLOCK', 'ON_OPEN', 'ON_EDIT', 'ON_FORM_SUBMIT', 'ON_CHANGE', 'ON_EVENT_UPDATED']);
export const TriggerSource = makeEnum('TriggerSource', ['SPREADSHEETS', 'CLOCK', 'FORMS', 'DOCUMENTS', 'CALENDAR']);
export const AuthorizationStatus = makeEnum('AuthorizationStatus', ['REQUIRED', 'NOT_REQUIRED']);
export const WeekDay = makeEnum('WeekDay', ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY']);

const SCRIPTAPP_SCOPE = 'https://www.googleapis.com/auth/script.scriptapp';
// "Triggers: 20 / user / script" https://developers.google.com/apps-script/guides/services/quotas#current_limitations
const MAX_TRIGGERS = 20;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function addTrigger(rec: Omit<TriggerRecord, 'id'>): Trigger {
  const w = world();
  if (w.triggers.length >= MAX_TRIGGERS) {
    throw gasError('This script has too many triggers. Triggers must be deleted from the script before more can be added.');
  }
  const full: TriggerRecord = { ...rec, id: uniqueTriggerId() };
  w.triggers.push(full);
  return new Trigger(full);
}

export class Trigger {
  constructor(readonly _r: TriggerRecord) {}
  getEventType(): EnumValue { return EventType[this._r.eventType] as EnumValue; }
  getHandlerFunction(): string { return this._r.handler; }
  getTriggerSource(): EnumValue { return TriggerSource[this._r.source] as EnumValue; }
  getTriggerSourceId(): string | null { return this._r.sourceId; }
  getUniqueId(): string { return this._r.id; }
}

export class SpreadsheetTriggerBuilder {
  _event: TriggerRecord['eventType'] | undefined;
  constructor(readonly _handler: string, readonly _sourceId: string) {}
  onOpen(): SpreadsheetTriggerBuilder { this._event = 'ON_OPEN'; return this; }
  onEdit(): SpreadsheetTriggerBuilder { this._event = 'ON_EDIT'; return this; }
  onChange(): SpreadsheetTriggerBuilder { this._event = 'ON_CHANGE'; return this; }
  onFormSubmit(): SpreadsheetTriggerBuilder { this._event = 'ON_FORM_SUBMIT'; return this; }
  create(): Trigger {
    if (!this._event) throw gasError('Missing event type for the trigger. Call onOpen(), onEdit(), onChange() or onFormSubmit().');
    return addTrigger({ handler: this._handler, eventType: this._event, source: 'SPREADSHEETS', sourceId: this._sourceId });
  }
}

interface ClockSpec {
  periodMs?: number;
  at?: number;
  hour?: number;
  minute?: number;
  weekDay?: number; // 0 = Sunday
  monthDay?: number;
  timeZone?: string;
  kind?: 'minutes' | 'hours' | 'days' | 'weeks' | 'month' | 'once';
}

export class ClockTriggerBuilder {
  readonly _s: ClockSpec = {};
  constructor(readonly _handler: string) {}
  everyMinutes(n: number): ClockTriggerBuilder {
    // https://developers.google.com/apps-script/reference/script/clock-trigger-builder#everyMinutes(Integer)
    if (![1, 5, 10, 15, 30].includes(Number(n))) throw gasError('The value passed to everyMinutes must be 1, 5, 10, 15 or 30.');
    Object.assign(this._s, { kind: 'minutes', periodMs: Number(n) * MINUTE });
    return this;
  }
  everyHours(n: number): ClockTriggerBuilder {
    if (![1, 2, 4, 6, 8, 12].includes(Number(n))) throw gasError('The value passed to everyHours must be 1, 2, 4, 6, 8 or 12.');
    Object.assign(this._s, { kind: 'hours', periodMs: Number(n) * HOUR });
    return this;
  }
  everyDays(n: number): ClockTriggerBuilder { Object.assign(this._s, { kind: 'days', periodMs: Math.max(1, Number(n)) * DAY }); return this; }
  everyWeeks(n: number): ClockTriggerBuilder { Object.assign(this._s, { kind: 'weeks', periodMs: Math.max(1, Number(n)) * 7 * DAY }); return this; }
  onMonthDay(day: number): ClockTriggerBuilder { Object.assign(this._s, { kind: 'month', monthDay: Number(day) }); return this; }
  onWeekDay(day: unknown): ClockTriggerBuilder {
    const idx = Object.keys(WeekDay).indexOf(String(day));
    if (idx < 0) throw gasError('Invalid argument: day');
    this._s.weekDay = idx;
    this._s.kind ??= 'weeks';
    this._s.periodMs ??= 7 * DAY;
    return this;
  }
  atHour(hour: number): ClockTriggerBuilder {
    if (!(hour >= 0 && hour <= 23)) throw gasError('Invalid argument: hour');
    this._s.hour = Number(hour);
    return this;
  }
  nearMinute(minute: number): ClockTriggerBuilder { this._s.minute = Math.max(0, Math.min(59, Number(minute))); return this; }
  inTimezone(tz: string): ClockTriggerBuilder { this._s.timeZone = String(tz); return this; }
  after(durationMilliseconds: number): ClockTriggerBuilder {
    Object.assign(this._s, { kind: 'once', at: now() + Math.max(0, Number(durationMilliseconds)) });
    return this;
  }
  at(date: Date): ClockTriggerBuilder {
    if (!isDate(date)) throw gasError("The parameters (String) don't match the method signature for ScriptApp.ClockTriggerBuilder.at.");
    Object.assign(this._s, { kind: 'once', at: date.getTime() });
    return this;
  }
  atDate(year: number, month: number, day: number): ClockTriggerBuilder {
    Object.assign(this._s, { kind: 'once', at: zonedToEpoch(year, month, day, 0, 0, 0, this._s.timeZone ?? world().opts.timeZone) });
    return this;
  }
  create(): Trigger {
    const s = this._s;
    if (!s.kind) throw gasError('Clock triggers must have a schedule: call everyMinutes(), everyHours(), everyDays(), everyWeeks(), onMonthDay(), after() or at().');
    if (s.hour !== undefined && !['days', 'weeks', 'month'].includes(s.kind)) {
      throw gasError('atHour() can only be used with everyDays(), everyWeeks() or onMonthDay().');
    }
    const rec: Omit<TriggerRecord, 'id'> = { handler: this._handler, eventType: 'CLOCK', source: 'CLOCK', sourceId: null };
    if (s.kind === 'once') {
      rec.oneShot = true;
      rec.nextRun = s.at;
    } else {
      rec.periodMs = s.periodMs;
      rec.nextRun = firstRun(s);
      rec.schedule = { kind: s.kind, monthDay: s.monthDay, hour: s.hour, minute: s.minute, timeZone: s.timeZone };
    }
    return addTrigger(rec);
  }
}

/** First due time. Apps Script randomises within the period; the emulator uses the earliest slot after now. */
function firstRun(s: ClockSpec): number {
  const t = now();
  if (s.kind === 'minutes' || s.kind === 'hours') return t + (s.periodMs ?? MINUTE);
  const tz = s.timeZone ?? world().opts.timeZone;
  const p = zonedParts(t, tz);
  if (s.kind === 'month') {
    let cand = zonedToEpoch(p.year, p.month, s.monthDay ?? 1, s.hour ?? 0, s.minute ?? 0, 0, tz);
    if (cand <= t) cand = zonedToEpoch(p.year, p.month + 1, s.monthDay ?? 1, s.hour ?? 0, s.minute ?? 0, 0, tz);
    return cand;
  }
  let cand = zonedToEpoch(p.year, p.month, p.day, s.hour ?? p.hour, s.minute ?? 0, 0, tz);
  if (s.weekDay !== undefined) {
    const today = p.weekday % 7; // ISO 7 (Sunday) -> 0
    cand += (((s.weekDay - today) + 7) % 7) * DAY;
  }
  while (cand <= t) cand += s.weekDay !== undefined ? 7 * DAY : DAY;
  return cand;
}

/** Next due time after a run. */
export function nextRun(r: TriggerRecord): number | undefined {
  if (r.oneShot) return undefined;
  if (r.schedule?.kind === 'month') {
    const tz = r.schedule.timeZone ?? world().opts.timeZone;
    const p = zonedParts(r.nextRun ?? now(), tz);
    return zonedToEpoch(p.year, p.month + 1, r.schedule.monthDay ?? 1, r.schedule.hour ?? 0, r.schedule.minute ?? 0, 0, tz);
  }
  return (r.nextRun ?? now()) + (r.periodMs ?? MINUTE);
}

export class TriggerBuilder {
  constructor(readonly _handler: string) {}
  forSpreadsheet(key: unknown): SpreadsheetTriggerBuilder {
    const id = key instanceof Spreadsheet ? key.getId() : String(key);
    return new SpreadsheetTriggerBuilder(this._handler, id);
  }
  timeBased(): ClockTriggerBuilder { return new ClockTriggerBuilder(this._handler); }
}

export class ScriptAppService {
  readonly AuthMode = AuthMode;
  readonly EventType = EventType;
  readonly TriggerSource = TriggerSource;
  readonly AuthorizationStatus = AuthorizationStatus;
  readonly WeekDay = WeekDay;
  readonly InstallationSource = makeEnum('InstallationSource', ['APPS_MARKETPLACE_DOMAIN_ADD_ON', 'NONE', 'WEB_STORE_ADD_ON']);

  newTrigger(functionName: string): TriggerBuilder {
    requireAuthorization('ScriptApp.newTrigger', SCRIPTAPP_SCOPE);
    return new TriggerBuilder(String(functionName));
  }
  getProjectTriggers(): Trigger[] {
    requireAuthorization('ScriptApp.getProjectTriggers', SCRIPTAPP_SCOPE);
    return world().triggers.map((r) => new Trigger(r));
  }
  getUserTriggers(_document: unknown): Trigger[] {
    requireAuthorization('ScriptApp.getUserTriggers', SCRIPTAPP_SCOPE);
    return world().triggers.filter((r) => r.source === 'SPREADSHEETS').map((r) => new Trigger(r));
  }
  deleteTrigger(trigger: Trigger): void {
    requireAuthorization('ScriptApp.deleteTrigger', SCRIPTAPP_SCOPE);
    const w = world();
    w.triggers = w.triggers.filter((r) => r.id !== trigger._r.id);
  }
  getScriptId(): string { return world().scriptId; }
  getOAuthToken(): string { return `ya29.emulator-${randomBytes(16).toString('hex')}`; }
  getIdentityToken(): string | null { return null; }
  getInstallationSource(): EnumValue { return this.InstallationSource.NONE as EnumValue; }
  getAuthorizationInfo(_authMode: unknown): { getAuthorizationStatus(): EnumValue; getAuthorizationUrl(): string | null } {
    return { getAuthorizationStatus: () => AuthorizationStatus.NOT_REQUIRED as EnumValue, getAuthorizationUrl: () => null };
  }
  invalidateAuth(): void {}
}

for (const cls of [Trigger, SpreadsheetTriggerBuilder, ClockTriggerBuilder, TriggerBuilder, ScriptAppService]) expose(cls);
