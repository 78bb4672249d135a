// Cell value semantics of Google Sheets.
//
// Range.setValue/setValues/appendRow and user typing go through the same
// input parser as the Sheets UI: a string that looks like a number, boolean
// or date is stored as that type ("007" becomes 7, "TRUE" becomes true,
// "2024-01-05" becomes a Date), a leading apostrophe forces text, and a cell
// formatted as plain text ('@') keeps strings verbatim.
// https://developers.google.com/apps-script/reference/spreadsheet/range#setvaluevalue
import { isDate } from './realm.ts';
import { formatSimpleDate, sheetsDatePatternToJava, toSerial, zonedParts, zonedToEpoch } from './dates.ts';

export type CellValue = string | number | boolean | Date;

export function isEmptyCell(v: unknown): boolean {
  return v === '' || v === undefined || v === null;
}

/** Normalises any JS value to what a cell can hold, without parsing strings. */
export function rawCell(v: unknown): CellValue {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (isDate(v)) return new Date(v.getTime());
  return String(v);
}

const NUMBER_RE = /^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$/;

/** Parses a value the way Sheets parses typed input (en_US locale). */
export function parseInput(v: unknown, numberFormat: string | undefined, tz: string): CellValue {
  const raw = rawCell(v);
  if (typeof raw !== 'string') return raw;
  if (numberFormat === '@') return raw;
  if (raw.startsWith("'")) return raw.slice(1);
  const t = raw.trim();
  if (t === '') return raw;
  if (/^(true|false)$/i.test(t)) return t.toUpperCase() === 'TRUE';
  const neg = /^\((.*)\)$/.exec(t);
  const body = (neg ? neg[1] ?? '' : t).replace(/^([+-]?)[$€£₽]/, '$1');
  const pct = body.endsWith('%');
  const num = pct ? body.slice(0, -1) : body;
  if (num !== '' && /\d/.test(num) && NUMBER_RE.test(num)) {
    const n = Number(num.replace(/,/g, '')) * (pct ? 0.01 : 1) * (neg ? -1 : 1);
    if (Number.isFinite(n)) return n;
  }
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  const m = iso ?? us;
  if (m) {
    const [y, mo, d] = iso ? [m[1], m[2], m[3]] : [m[3], m[1], m[2]];
    const Y = Number(y), M = Number(mo), D = Number(d);
    if (M >= 1 && M <= 12 && D >= 1 && D <= 31) {
      return new Date(zonedToEpoch(Y, M, D, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), tz));
    }
  }
  return raw;
}

function isDatePattern(fmt: string): boolean {
  const stripped = fmt.replace(/"[^"]*"|\\./g, '');
  return /[ydhs]/i.test(stripped) || /(^|[^0#?])m+([^0#?]|$)/i.test(stripped.replace(/\[[^\]]*\]/g, ''));
}

function formatGeneralNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  const s = String(Number(n.toPrecision(10)));
  return s.replace('e+', 'E+').replace('e-', 'E-');
}

/** A small implementation of Sheets number patterns: '0', '0.00', '#,##0.00', '0%', '"₽"#,##0', '[$€]0.00'. */
export function formatNumberPattern(n: number, pattern: string): string {
  const sections = pattern.split(';');
  const section = (n < 0 && sections[1] !== undefined ? sections[1] : sections[0]) ?? '';
  const useAbs = n < 0 && sections[1] !== undefined;
  let prefix = '';
  let suffix = '';
  let core = '';
  let seenCore = false;
  let percent = false;
  const re = /"([^"]*)"|\[\$([^\]-]*)[^\]]*\]|\\(.)|([0#?,.]+)|(%)|(.)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(section))) {
    const literal = m[1] ?? m[2] ?? m[3] ?? m[6];
    if (m[4] !== undefined && !seenCore) {
      core = m[4];
      seenCore = true;
      continue;
    }
    if (m[5]) percent = true;
    const text = literal ?? m[5] ?? m[4] ?? '';
    if (seenCore) suffix += text;
    else prefix += text;
  }
  let v = useAbs ? Math.abs(n) : n;
  if (percent) v *= 100;
  const [intPart = '', decPart = ''] = core.split('.');
  const minDec = (decPart.match(/0/g) ?? []).length;
  const maxDec = (decPart.match(/[0#?]/g) ?? []).length;
  const minInt = (intPart.match(/0/g) ?? []).length;
  let s = Math.abs(v).toFixed(maxDec);
  if (maxDec > minDec) s = s.replace(new RegExp(`0{1,${maxDec - minDec}}$`), '').replace(/\.$/, '');
  let [i = '', d] = s.split('.');
  i = i.replace(/^0+/, '').padStart(minInt, '0');
  if (intPart.includes(',')) i = i.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const body = d ? `${i}.${d}` : i;
  return `${v < 0 ? '-' : ''}${prefix}${body || (minInt ? '' : '0')}${suffix}`;
}

/** What the Sheets UI shows for a value (Range.getDisplayValue). */
export function displayValue(v: unknown, fmt: string | undefined, tz: string): string {
  if (isEmptyCell(v)) return '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return v;
  const general = !fmt || fmt === 'General' || fmt === '@';
  if (isDate(v)) {
    const ms = v.getTime();
    if (general || !isDatePattern(fmt)) {
      const p = zonedParts(ms, tz);
      const midnight = p.hour === 0 && p.minute === 0 && p.second === 0;
      return formatSimpleDate(ms, midnight ? 'M/d/yyyy' : 'M/d/yyyy H:mm:ss', tz);
    }
    return formatSimpleDate(ms, sheetsDatePatternToJava(fmt), tz);
  }
  if (typeof v === 'number') {
    if (general) return formatGeneralNumber(v);
    if (isDatePattern(fmt)) {
      const ms = Math.round((v - 25569) * 86400000);
      return formatSimpleDate(ms - zonedParts(ms, tz).offsetMinutes * 60000, sheetsDatePatternToJava(fmt), tz);
    }
    return formatNumberPattern(v, fmt);
  }
  return String(v);
}

/**
 * onEdit's e.value / e.oldValue are strings: numbers as typed, booleans as
 * 'TRUE'/'FALSE', dates as their serial number.
 * https://developers.google.com/apps-script/guides/triggers/events#edit
 */
export function eventString(v: unknown, tz: string): string | undefined {
  if (isEmptyCell(v)) return undefined;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (isDate(v)) return String(toSerial(v.getTime(), tz));
  return String(v);
}

function sortRank(v: unknown): number {
  if (typeof v === 'number' || isDate(v)) return 0;
  if (typeof v === 'string') return 1;
  return 2; // booleans
}

/** Sheets sort order: numbers/dates, then text (case-insensitive), then booleans; blanks are handled by callers (always last). */
export function compareCells(a: unknown, b: unknown): number {
  const ra = sortRank(a);
  const rb = sortRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 0) {
    const na = isDate(a) ? a.getTime() / 86400000 + 25569 : (a as number);
    const nb = isDate(b) ? b.getTime() / 86400000 + 25569 : (b as number);
    return na - nb;
  }
  if (ra === 1) return (a as string).localeCompare(b as string, 'en', { sensitivity: 'base', numeric: false });
  return Number(a) - Number(b);
}
