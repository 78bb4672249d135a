// UrlFetchApp (worker side). https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app
// fetch() is synchronous in Apps Script: the worker posts the request to the
// main thread and blocks with Atomics.wait until the main thread has done the
// real HTTP exchange and posted the response back (read synchronously with
// receiveMessageOnPort), so an HTTP server living on the main thread keeps serving.
import { receiveMessageOnPort } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { expose, gasError, isPlainObject } from './realm.ts';
import type { BridgeReply, WireRequest, WireResponse } from './protocol.ts';
import { Blob, toBuffer, toSignedBytes } from './utilities.ts';
import { currentExec, requireAuthorization, world } from './world.ts';

const EXTERNAL_REQUEST = 'https://www.googleapis.com/auth/script.external_request';
const BRIDGE_TIMEOUT_MS = 10 * 60 * 1000;

interface FetchParams {
  method?: string;
  contentType?: string;
  payload?: unknown;
  headers?: Record<string, unknown>;
  muteHttpExceptions?: boolean;
  followRedirects?: boolean;
  validateHttpsCertificates?: boolean;
  escaping?: boolean;
}

function bridge(requests: WireRequest[]): WireResponse[] {
  const w = world();
  if (!w.bridgePort || !w.bridgeSignal) throw new Error('UrlFetch bridge not connected');
  Atomics.store(w.bridgeSignal, 0, 0);
  w.bridgePort.postMessage({ requests });
  const res = Atomics.wait(w.bridgeSignal, 0, 0, BRIDGE_TIMEOUT_MS);
  if (res === 'timed-out') throw gasError(`Timeout: ${requests[0]?.url ?? ''}`);
  let msg = receiveMessageOnPort(w.bridgePort);
  for (let i = 0; !msg && i < 100; i++) {
    Atomics.wait(w.bridgeSignal, 0, 2, 10);
    msg = receiveMessageOnPort(w.bridgePort);
  }
  if (!msg) throw new Error('UrlFetch bridge lost the response');
  return (msg.message as BridgeReply).responses;
}

function formEncode(o: Record<string, unknown>): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return Object.entries(o)
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`)
    .join('&');
}

function multipart(o: Record<string, unknown>): { body: Buffer; contentType: string } {
  const boundary = `----AppsScriptEmulator${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (v instanceof Blob) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${v._name ?? k}"\r\nContent-Type: ${v._contentType ?? 'application/octet-stream'}\r\n\r\n`));
      parts.push(v._bytes, Buffer.from('\r\n'));
    } else {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${String(v)}\r\n`));
    }
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

function buildRequest(url: unknown, params: FetchParams = {}): WireRequest {
  const raw = String(url ?? '');
  let target: string;
  try {
    if (!/^https?:\/\//i.test(raw)) throw new Error('bad scheme');
    target = params.escaping === false ? raw : new URL(raw).href;
  } catch {
    throw gasError(`Invalid argument: ${raw}`);
  }
  const method = String(params.method ?? 'get').toUpperCase();
  if (!['GET', 'DELETE', 'PATCH', 'POST', 'PUT', 'HEAD', 'OPTIONS'].includes(method)) throw gasError(`Invalid argument: method`);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(params.headers ?? {})) headers[k] = String(v);
  let body: Buffer | undefined;
  let contentType = params.contentType;
  const p = params.payload;
  if (p !== undefined && p !== null && method !== 'GET') {
    if (p instanceof Blob) {
      body = Buffer.from(p._bytes);
      contentType ??= p._contentType ?? undefined;
    } else if (Array.isArray(p) || ArrayBuffer.isView(p)) {
      body = toBuffer(p);
    } else if (isPlainObject(p)) {
      if (Object.values(p).some((v) => v instanceof Blob)) {
        const mp = multipart(p);
        body = mp.body;
        contentType = mp.contentType;
      } else {
        body = Buffer.from(formEncode(p), 'utf8');
      }
    } else {
      body = Buffer.from(String(p), 'utf8');
    }
    // "contentType: the content type (defaults to 'application/x-www-form-urlencoded')"
    contentType ??= 'application/x-www-form-urlencoded';
  }
  const lower = new Set(Object.keys(headers).map((k) => k.toLowerCase()));
  if (contentType && !lower.has('content-type')) headers['Content-Type'] = contentType;
  if (!lower.has('user-agent')) {
    headers['User-Agent'] = `Mozilla/5.0 (compatible; Google-Apps-Script; beanserver; +https://script.google.com; id: ${world().scriptId.slice(0, 16)})`;
  }
  return {
    url: target,
    method,
    headers,
    body: body ? new Uint8Array(body) : undefined,
    followRedirects: params.followRedirects !== false,
    validateHttpsCertificates: params.validateHttpsCertificates !== false,
  };
}

export class HTTPResponse {
  constructor(
    readonly _status: number,
    readonly _headers: Array<[string, string]>,
    readonly _body: Buffer,
  ) {}
  _headerMap(): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of this._headers) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    return out;
  }
  _contentType(): string | null {
    return this._headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? null;
  }
  getResponseCode(): number { return this._status; }
  getHeaders(): Record<string, string | string[]> { return this._headerMap(); }
  getAllHeaders(): Record<string, string | string[]> { return this._headerMap(); }
  getContent(): number[] { return toSignedBytes(this._body); }
  getContentText(charset?: string): string {
    const label = charset ?? /charset=([^;]+)/i.exec(this._contentType() ?? '')?.[1]?.trim() ?? 'utf-8';
    try {
      return new TextDecoder(label).decode(this._body);
    } catch {
      return new TextDecoder('utf-8').decode(this._body);
    }
  }
  getBlob(): Blob { return new Blob(Buffer.from(this._body), this._contentType()?.split(';')[0] ?? null, null); }
  getAs(contentType: string): Blob { return this.getBlob().getAs(contentType); }
}

function toResponse(req: WireRequest, wire: WireResponse, mute: boolean): HTTPResponse {
  if (!wire.ok) {
    const messages: Record<string, string> = {
      dns: `DNS error: ${req.url}`,
      refused: `Address unavailable: ${req.url}`,
      timeout: `Timeout: ${req.url}`,
      invalid: `Invalid argument: ${req.url}`,
      other: `Unexpected error: ${req.url}`,
    };
    throw gasError(messages[wire.kind] ?? wire.message);
  }
  const res = new HTTPResponse(wire.status, wire.headers, Buffer.from(wire.body));
  if (wire.status >= 400 && !mute) {
    // Apps Script names only the origin and keeps the first ~150 characters of the body.
    const text = res.getContentText();
    const short = text.length > 150 ? `${text.slice(0, 147)}...` : text;
    throw gasError(
      `Request failed for ${new URL(req.url).origin} returned code ${wire.status}. Truncated server response: ${short} (use muteHttpExceptions option to examine full response)`,
    );
  }
  return res;
}

function count(n: number): void {
  world().urlFetchCount += n;
  const e = currentExec();
  if (e) e.urlFetches += n;
}

export class UrlFetchAppImpl {
  fetch(url: string, params?: FetchParams): HTTPResponse {
    requireAuthorization('UrlFetchApp.fetch', EXTERNAL_REQUEST);
    const req = buildRequest(url, params ?? {});
    count(1);
    const [wire] = bridge([req]);
    return toResponse(req, wire as WireResponse, !!params?.muteHttpExceptions);
  }
  fetchAll(requests: Array<string | (FetchParams & { url: string })>): HTTPResponse[] {
    requireAuthorization('UrlFetchApp.fetchAll', EXTERNAL_REQUEST);
    const list = Array.from(requests).map((r) => (typeof r === 'string' ? { url: r } : r));
    const reqs = list.map((r) => buildRequest(r.url, r));
    count(reqs.length);
    const wires = bridge(reqs);
    return wires.map((w, i) => toResponse(reqs[i] as WireRequest, w, !!list[i]?.muteHttpExceptions));
  }
  getRequest(url: string, params?: FetchParams): Record<string, unknown> {
    const req = buildRequest(url, params ?? {});
    return {
      url: req.url,
      method: req.method.toLowerCase(),
      headers: req.headers,
      contentType: req.headers['Content-Type'],
      payload: req.body ? Buffer.from(req.body).toString('utf8') : '',
      followRedirects: req.followRedirects,
      validateHttpsCertificates: req.validateHttpsCertificates,
      muteHttpExceptions: !!params?.muteHttpExceptions,
      useIntranet: false,
    };
  }
}

expose(HTTPResponse);
expose(UrlFetchAppImpl);
