// Time-zone aware date helpers shared by Utilities.formatDate (Java
// SimpleDateFormat patterns, https://developers.google.com/apps-script/reference/utilities/utilities#formatDate(Date,String,String))
// and Sheets display values (Sheets date/time format tokens,
// https://developers.google.com/sheets/api/guides/formats#date_and_time_format_patterns).

export interface ZonedParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  weekday: number; // 1 = Monday ... 7 = Sunday (ISO)
  offsetMinutes: number; // local - UTC
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const fmtCache = new Map<string, Intl.DateTimeFormat>();

/** 'GMT', 'UTC', 'GMT+3', 'GMT+03:00', 'UTC-0530' → fixed offset minutes; IANA names → undefined. */
function fixedOffset(tz: string): number | undefined {
  if (tz === 'GMT' || tz === 'UTC' || tz === 'Z') return 0;
  const m = /^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(tz);
  if (!m) return undefined;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
      era: 'short',
    });
    fmtCache.set(tz, f);
  }
  return f;
}

export function isValidTimeZone(tz: string): boolean {
  if (fixedOffset(tz) !== undefined) return true;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

export function zonedParts(ms: number, tz: string): ZonedParts {
  const fixed = fixedOffset(tz);
  if (fixed !== undefined) {
    const d = new Date(ms + fixed * 60000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      millisecond: d.getUTCMilliseconds(),
      weekday: ((d.getUTCDay() + 6) % 7) + 1,
      offsetMinutes: fixed,
    };
  }
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) p[part.type] = part.value;
  let year = Number(p.year);
  if (p.era === 'BC') year = 1 - year;
  const parts = {
    year,
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour) % 24,
    minute: Number(p.minute),
    second: Number(p.second),
    millisecond: ((ms % 1000) + 1000) % 1000,
    weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday ?? 'Mon') + 1,
    offsetMinutes: 0,
  };
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, parts.millisecond);
  parts.offsetMinutes = Math.round((asUtc - ms) / 60000);
  return parts;
}

/** Epoch ms of a wall-clock time in `tz`. */
export function zonedToEpoch(year: number, month: number, day: number, h = 0, m = 0, s = 0, tz = 'UTC'): number {
  const naive = Date.UTC(year, month - 1, day, h, m, s);
  let guess = naive - zonedParts(naive, tz).offsetMinutes * 60000;
  guess = naive - zonedParts(guess, tz).offsetMinutes * 60000;
  return guess;
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

function offsetString(mins: number, style: 'Z' | 'X1' | 'X2' | 'X3'): string {
  if (mins === 0 && style !== 'Z') return 'Z';
  const sign = mins < 0 ? '-' : '+';
  const a = Math.abs(mins);
  const hh = pad(Math.floor(a / 60), 2);
  const mm = pad(a % 60, 2);
  if (style === 'X1') return `${sign}${hh}`;
  if (style === 'X3') return `${sign}${hh}:${mm}`;
  return `${sign}${hh}${mm}`;
}

function dayOfYear(p: ZonedParts): number {
  return Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86400000) + 1;
}

function shortZoneName(ms: number, tz: string, p: ZonedParts): string {
  if (fixedOffset(tz) !== undefined) return p.offsetMinutes === 0 ? 'GMT' : `GMT${offsetString(p.offsetMinutes, 'X3')}`;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'short' }).formatToParts(new Date(ms));
  return parts.find((x) => x.type === 'timeZoneName')?.value ?? tz;
}

/** Java SimpleDateFormat as used by Utilities.formatDate. */
export function formatSimpleDate(ms: number, pattern: string, tz: string): string {
  const p = zonedParts(ms, tz);
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    if (ch === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) {
        out += "'";
        i += 2;
        continue;
      }
      const stop = end < 0 ? pattern.length : end;
      out += pattern.slice(i + 1, stop).replace(/''/g, "'");
      i = stop + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      out += ch;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === ch) n++;
    i += n;
    switch (ch) {
      case 'G': out += p.year > 0 ? 'AD' : 'BC'; break;
      case 'y': case 'Y': case 'u':
        if (ch === 'u') { out += pad(p.weekday, n); break; }
        out += n === 2 ? pad(p.year % 100, 2) : pad(p.year, n); break;
      case 'M': case 'L':
        out += n >= 4 ? MONTHS[p.month - 1] : n === 3 ? MONTHS[p.month - 1]?.slice(0, 3) : pad(p.month, n); break;
      case 'd': out += pad(p.day, n); break;
      case 'D': out += pad(dayOfYear(p), n); break;
      case 'E': out += n >= 4 ? DAYS[p.weekday - 1] : DAYS[p.weekday - 1]?.slice(0, 3); break;
      case 'a': out += p.hour < 12 ? 'AM' : 'PM'; break;
      case 'H': out += pad(p.hour, n); break;
      case 'k': out += pad(p.hour === 0 ? 24 : p.hour, n); break;
      case 'K': out += pad(p.hour % 12, n); break;
      case 'h': out += pad(p.hour % 12 === 0 ? 12 : p.hour % 12, n); break;
      case 'm': out += pad(p.minute, n); break;
      case 's': out += pad(p.second, n); break;
      case 'S': out += pad(p.millisecond, n); break;
      case 'w': out += pad(Math.ceil(dayOfYear(p) / 7), n); break;
      case 'z': out += shortZoneName(ms, tz, p); break;
      case 'Z': out += offsetString(p.offsetMinutes, 'Z'); break;
      case 'X': out += offsetString(p.offsetMinutes, n === 1 ? 'X1' : n === 2 ? 'X2' : 'X3'); break;
      default: throw new Error(`Illegal pattern character '${ch}'`);
    }
  }
  return out;
}

/** Converts a Sheets number-format date pattern (e.g. 'dd.mm.yyyy hh:mm') to a SimpleDateFormat pattern. */
export function sheetsDatePatternToJava(pattern: string): string {
  const tokens = pattern.match(/"[^"]*"|\\.|yyyy|yy|y|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am\/pm|AM\/PM|a\/p|A\/P|\.0+|[^"\\ymdhsaAP]+|./g) ?? [];
  const hasAmPm = /am\/pm|a\/p/i.test(pattern);
  let out = '';
  tokens.forEach((t, i) => {
    const prev = tokens.slice(0, i).reverse().find((x) => /^[ymdhs]/.test(x));
    const next = tokens.slice(i + 1).find((x) => /^[ymdhs]/.test(x));
    const lit = (s: string): string => (s ? `'${s.replace(/'/g, "''")}'` : '');
    if (t.startsWith('"')) out += lit(t.slice(1, -1));
    else if (t.startsWith('\\')) out += lit(t.slice(1));
    else if (/^y+$/.test(t)) out += t.length <= 2 ? 'yy' : 'yyyy';
    else if (/^m+$/.test(t)) {
      const isMinute = t.length <= 2 && ((prev && prev.startsWith('h')) || (next && next.startsWith('s')));
      out += isMinute ? t : t.length >= 4 ? 'MMMM' : t.length === 3 ? 'MMM' : t.toUpperCase();
    } else if (/^d+$/.test(t)) out += t.length >= 4 ? 'EEEE' : t.length === 3 ? 'EEE' : t;
    else if (/^h+$/.test(t)) out += hasAmPm ? t : t.toUpperCase();
    else if (/^s+$/.test(t)) out += t;
    else if (/^(am\/pm|a\/p)$/i.test(t)) out += 'a';
    else if (/^\.0+$/.test(t)) out += `.${'S'.repeat(t.length - 1)}`;
    else out += lit(t);
  });
  return out;
}

/** Google Sheets serial number (days since 1899-12-30, local time of the spreadsheet). */
export function toSerial(ms: number, tz: string): number {
  const off = zonedParts(ms, tz).offsetMinutes;
  return (ms + off * 60000) / 86400000 + 25569;
}
