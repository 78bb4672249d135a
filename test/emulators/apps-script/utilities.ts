// Utilities and Blob.
// https://developers.google.com/apps-script/reference/utilities/utilities
// https://developers.google.com/apps-script/reference/base/blob
// Apps Script represents binary data as Byte[] = JS arrays of SIGNED bytes
// (-128..127, Java bytes), e.g. computeHmacSha256Signature's result.
import { createHash, createHmac, createSign, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { enumName, expose, gasError, isDate, makeEnum } from './realm.ts';
import { formatSimpleDate, isValidTimeZone } from './dates.ts';
import { advanceClock, currentExec } from './world.ts';

export const Charset = makeEnum('Charset', ['US_ASCII', 'UTF_8']);
export const DigestAlgorithm = makeEnum('DigestAlgorithm', ['MD2', 'MD5', 'SHA_1', 'SHA_256', 'SHA_384', 'SHA_512']);
export const MacAlgorithm = makeEnum('MacAlgorithm', ['HMAC_MD5', 'HMAC_SHA_1', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512']);
export const RsaAlgorithm = makeEnum('RsaAlgorithm', ['RSA_SHA_1', 'RSA_SHA_256']);

export function toSignedBytes(buf: Uint8Array): number[] {
  const out = new Array<number>(buf.length);
  for (let i = 0; i < buf.length; i++) out[i] = (buf[i] as number) > 127 ? (buf[i] as number) - 256 : (buf[i] as number);
  return out;
}

function encodingOf(charset: unknown): BufferEncoding {
  const c = charset === undefined || charset === null ? 'UTF_8' : enumName(charset).toUpperCase().replace('-', '_');
  return c === 'US_ASCII' || c === 'ASCII' ? 'ascii' : c === 'ISO_8859_1' || c === 'LATIN1' ? 'latin1' : 'utf8';
}

/** Accepts a string (encoded with `charset`), a Byte[] (signed or unsigned) or a Blob. */
export function toBuffer(value: unknown, charset?: unknown): Buffer {
  if (value instanceof Blob) return Buffer.from(value._bytes);
  if (Array.isArray(value)) return Buffer.from(value.map((b) => Number(b) & 0xff));
  if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  return Buffer.from(String(value ?? ''), encodingOf(charset));
}

const NODE_DIGEST: Record<string, string> = { MD2: 'md2', MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_384: 'sha384', SHA_512: 'sha512' };

export class Blob {
  constructor(
    public _bytes: Buffer,
    public _contentType: string | null = null,
    public _name: string | null = null,
  ) {}
  getBytes(): number[] { return toSignedBytes(this._bytes); }
  setBytes(data: number[]): Blob { this._bytes = toBuffer(data); return this; }
  getDataAsString(charset?: string): string {
    const label = charset ? String(charset) : (/charset=([^;]+)/i.exec(this._contentType ?? '')?.[1] ?? 'utf-8');
    return new TextDecoder(label.trim()).decode(this._bytes);
  }
  setDataFromString(s: string, charset?: string): Blob { this._bytes = toBuffer(s, charset); return this; }
  getContentType(): string | null { return this._contentType; }
  setContentType(t: string | null): Blob { this._contentType = t; return this; }
  getName(): string | null { return this._name; }
  setName(n: string): Blob { this._name = String(n); return this; }
  copyBlob(): Blob { return new Blob(Buffer.from(this._bytes), this._contentType, this._name); }
  getAs(contentType: string): Blob { return new Blob(Buffer.from(this._bytes), String(contentType), this._name); }
  getBlob(): Blob { return this; }
  isGoogleType(): boolean { return false; }
}

function sprintf(template: string, args: unknown[]): string {
  let i = 0;
  return String(template).replace(/%([-+0 #]*)(\d+)?(?:\.(\d+))?([sdifxXoeEgG%])/g, (all, flags: string, width?: string, prec?: string, conv?: string) => {
    if (conv === '%') return '%';
    const v = args[i++];
    let s: string;
    switch (conv) {
      case 'd': case 'i': s = String(Math.trunc(Number(v))); break;
      case 'f': s = Number(v).toFixed(prec === undefined ? 6 : Number(prec)); break;
      case 'e': case 'E': s = Number(v).toExponential(prec === undefined ? 6 : Number(prec)); break;
      case 'x': case 'X': s = Math.trunc(Number(v)).toString(16); if (conv === 'X') s = s.toUpperCase(); break;
      case 'o': s = Math.trunc(Number(v)).toString(8); break;
      case 'g': case 'G': s = String(Number(v)); break;
      default: s = prec === undefined ? String(v) : String(v).slice(0, Number(prec));
    }
    if (flags.includes('+') && /[dif]/.test(conv ?? '') && Number(v) >= 0) s = `+${s}`;
    const w = Number(width ?? 0);
    if (s.length < w) s = flags.includes('-') ? s.padEnd(w) : flags.includes('0') && conv !== 's' ? s.padStart(w, '0') : s.padStart(w);
    return all ? s : s;
  });
}

function parseCsv(csv: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i] as string;
    if (quoted) {
      if (ch === '"' && csv[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && csv[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

export class UtilitiesService {
  readonly Charset = Charset;
  readonly DigestAlgorithm = DigestAlgorithm;
  readonly MacAlgorithm = MacAlgorithm;
  readonly RsaAlgorithm = RsaAlgorithm;

  base64Encode(data: unknown, charset?: unknown): string { return toBuffer(data, charset).toString('base64'); }
  /** Web-safe alphabet ('-', '_') keeping '=' padding, like Java's URL-safe encoder. */
  base64EncodeWebSafe(data: unknown, charset?: unknown): string {
    return toBuffer(data, charset).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  }
  base64Decode(encoded: string, _charset?: unknown): number[] { return toSignedBytes(Buffer.from(String(encoded), 'base64')); }
  base64DecodeWebSafe(encoded: string, _charset?: unknown): number[] { return toSignedBytes(Buffer.from(String(encoded), 'base64url')); }
  computeDigest(algorithm: unknown, value: unknown, charset?: unknown): number[] {
    const alg = NODE_DIGEST[enumName(algorithm)];
    if (!alg) throw gasError(`Invalid argument: algorithm`);
    return toSignedBytes(createHash(alg).update(toBuffer(value, charset)).digest());
  }
  computeHmacSignature(algorithm: unknown, value: unknown, key: unknown, charset?: unknown): number[] {
    const alg = NODE_DIGEST[enumName(algorithm).replace(/^HMAC_/, '')];
    if (!alg) throw gasError(`Invalid argument: algorithm`);
    return toSignedBytes(createHmac(alg, toBuffer(key, charset)).update(toBuffer(value, charset)).digest());
  }
  computeHmacSha256Signature(value: unknown, key: unknown, charset?: unknown): number[] {
    return this.computeHmacSignature('HMAC_SHA_256', value, key, charset);
  }
  computeRsaSignature(algorithm: unknown, value: unknown, key: string, charset?: unknown): number[] {
    const alg = enumName(algorithm) === 'RSA_SHA_1' ? 'RSA-SHA1' : 'RSA-SHA256';
    return toSignedBytes(createSign(alg).update(toBuffer(value, charset)).sign(String(key)));
  }
  computeRsaSha256Signature(value: unknown, key: string, charset?: unknown): number[] {
    return this.computeRsaSignature('RSA_SHA_256', value, key, charset);
  }
  formatDate(date: Date, timeZone: string, format: string): string {
    if (!isDate(date)) throw gasError(`The parameters (${typeof date},String,String) don't match the method signature for Utilities.formatDate.`);
    if (!isValidTimeZone(String(timeZone))) throw gasError(`Invalid argument: timeZone`);
    try {
      return formatSimpleDate(date.getTime(), String(format), String(timeZone));
    } catch (e) {
      throw gasError(`Invalid argument: format. ${(e as Error).message}`);
    }
  }
  formatString(template: string, ...args: unknown[]): string { return sprintf(template, args); }
  getUuid(): string { return randomUUID(); }
  newBlob(data: unknown, contentType?: string, name?: string): Blob {
    return new Blob(toBuffer(data), contentType ?? null, name ?? null);
  }
  parseCsv(csv: string, delimiter?: string): string[][] { return parseCsv(String(csv), delimiter ?? ','); }
  gzip(blob: Blob, name?: string): Blob {
    return new Blob(gzipSync(blob._bytes), 'application/x-gzip', name ?? (blob._name ? `${blob._name}.gz` : null));
  }
  ungzip(blob: Blob): Blob { return new Blob(gunzipSync(blob._bytes), null, blob._name?.replace(/\.gz$/, '') ?? null); }
  jsonParse(s: string): unknown { return JSON.parse(String(s)); }
  jsonStringify(o: unknown): string { return JSON.stringify(o); }
  /**
   * Sleeps on the emulated clock (no real waiting). The documented maximum
   * is 300000 ms. https://developers.google.com/apps-script/reference/utilities/utilities#sleep(Integer)
   */
  sleep(milliseconds: number): void {
    const ms = Number(milliseconds);
    if (!(ms >= 0) || ms > 300000) throw gasError(`Invalid argument: milliseconds`);
    advanceClock(ms);
    const e = currentExec();
    if (e) e.sleptMs += ms;
  }
}

expose(Blob);
expose(UtilitiesService);
