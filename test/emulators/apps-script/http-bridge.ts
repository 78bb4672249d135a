// Main-thread side of UrlFetchApp: performs the real HTTP exchange for the
// worker with node:http/https (so certificate checks can be turned off per
// request, raw header casing is kept and redirects are under our control).
// https://developers.google.com/apps-script/reference/url-fetch/url-fetch-app#fetch(String,Object)
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { WireRequest, WireResponse } from './protocol.ts';

// UrlFetch gives up on a request after 60 s, and allows 50 MB responses.
const TIMEOUT_MS = 60_000;
const MAX_BODY = 50 * 1024 * 1024;
const MAX_REDIRECTS = 10;

interface RawResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Buffer;
}

class FetchFailure extends Error {
  constructor(readonly kind: 'dns' | 'refused' | 'timeout' | 'invalid' | 'other', message: string) {
    super(message);
  }
}

function classify(e: NodeJS.ErrnoException): FetchFailure {
  const code = e.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new FetchFailure('dns', e.message);
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'ECONNRESET'].includes(code)) return new FetchFailure('refused', e.message);
  if (code === 'ETIMEDOUT') return new FetchFailure('timeout', e.message);
  return new FetchFailure('other', e.message);
}

function decode(body: Buffer, encoding: string | undefined): Buffer {
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return zlib.gunzipSync(body);
    if (encoding === 'deflate') return zlib.inflateSync(body);
    if (encoding === 'br') return zlib.brotliDecompressSync(body);
  } catch {
    return body;
  }
  return body;
}

export class HttpClient {
  private readonly agents = {
    http: new http.Agent({ keepAlive: true }),
    https: new https.Agent({ keepAlive: true }),
    insecure: new https.Agent({ keepAlive: true, rejectUnauthorized: false }),
  };

  close(): void {
    for (const a of Object.values(this.agents)) a.destroy();
  }

  private once(url: URL, method: string, headers: Record<string, string>, body: Uint8Array | undefined, validate: boolean): Promise<RawResponse> {
    const isHttps = url.protocol === 'https:';
    const mod = isHttps ? https : http;
    const agent = isHttps ? (validate ? this.agents.https : this.agents.insecure) : this.agents.http;
    const h: Record<string, string> = { 'Accept-Encoding': 'gzip, deflate, br', ...headers };
    if (body) h['Content-Length'] = String(body.byteLength);
    return new Promise<RawResponse>((resolve, reject) => {
      const req = mod.request(url, { method, headers: h, agent }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) req.destroy(new FetchFailure('other', 'Response exceeds 50 MB'));
          else chunks.push(c);
        });
        res.on('end', () => {
          const pairs: Array<[string, string]> = [];
          for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) pairs.push([res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string]);
          const enc = res.headers['content-encoding']?.toLowerCase();
          resolve({ status: res.statusCode ?? 0, headers: pairs, body: decode(Buffer.concat(chunks), enc) });
        });
        res.on('error', (e) => reject(classify(e)));
      });
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new FetchFailure('timeout', `Timeout after ${TIMEOUT_MS} ms`)));
      req.on('error', (e) => reject(e instanceof FetchFailure ? e : classify(e)));
      req.end(body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : undefined);
    });
  }

  async request(r: WireRequest): Promise<WireResponse> {
    let url: URL;
    try {
      url = new URL(r.url);
    } catch {
      return { ok: false, kind: 'invalid', message: `Invalid URL ${r.url}` };
    }
    let method = r.method;
    let body = r.body;
    let headers = { ...r.headers };
    try {
      for (let hop = 0; ; hop++) {
        const res = await this.once(url, method, headers, body, r.validateHttpsCertificates);
        const location = res.headers.find(([k]) => k.toLowerCase() === 'location')?.[1];
        if (r.followRedirects && location && [301, 302, 303, 307, 308].includes(res.status) && hop < MAX_REDIRECTS) {
          url = new URL(location, url);
          // Like browsers and Java's HttpURLConnection: 303 (and 301/302 after POST) continue as GET without a body.
          if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
            headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !/^content-(type|length)$/i.test(k)));
          }
          continue;
        }
        return { ok: true, status: res.status, headers: res.headers, body: new Uint8Array(res.body), finalUrl: url.href };
      }
    } catch (e) {
      const f = e instanceof FetchFailure ? e : new FetchFailure('other', String((e as Error)?.message ?? e));
      return { ok: false, kind: f.kind, message: f.message };
    }
  }
}
