// Request parsing and response envelopes of the Bot API.
// https://core.telegram.org/bots/api#making-requests : parameters may come as a URL
// query string, application/x-www-form-urlencoded, application/json (except for
// uploads) or multipart/form-data; answers are JSON `{ok, result}` or
// `{ok:false, error_code, description, parameters?}` with the HTTP status = error_code.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
  }
}

export const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);
export const tooManyRequests = (retryAfter: number): ApiError =>
  new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });

/** Typed access to request parameters, coercing form strings the way the server does. */
export class Params {
  constructor(private readonly values: Record<string, unknown>) {}

  has(name: string): boolean {
    const v = this.values[name];
    return v !== undefined && v !== null && v !== '';
  }

  str(name: string): string | undefined {
    const v = this.values[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw badRequest(`parameter "${name}" must be a string`);
  }

  int(name: string): number | undefined {
    const v = this.values[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return Number(v);
    throw badRequest(`parameter "${name}" must be an integer`);
  }

  bool(name: string): boolean {
    const v = this.values[name];
    return v === true || v === 'true' || v === '1' || v === 1 || v === 'True';
  }

  /** A JSON-serialized object/array field (form encoding) or an inline JSON value. */
  json<T>(name: string, parseError = `can't parse ${name} JSON object`): T | undefined {
    const v = this.values[name];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return v as T;
    try {
      return JSON.parse(v) as T;
    } catch {
      throw badRequest(parseError);
    }
  }

  /** An uploaded part (also via `attach://name`) or a string (file_id / URL). */
  file(name: string): File | string | undefined {
    return this.fileValue(this.values[name]);
  }

  /** Resolves a value that names a file: `attach://<part>` (also inside InputMedia JSON), a file_id or URL. */
  fileValue(v: unknown): File | string | undefined {
    if (typeof v === 'string' && v.startsWith('attach://')) {
      const part = this.values[v.slice('attach://'.length)];
      return part instanceof File ? part : undefined;
    }
    if (v instanceof File || typeof v === 'string') return v === '' ? undefined : v;
    return undefined;
  }
}

// Telegram accepts uploads up to 50 MB; anything larger is refused before parsing.
const MAX_BODY = 50 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new ApiError(413, 'Request Entity Too Large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const values: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const body = await readBody(req);
  if (body.length === 0) return new Params(values);
  const contentType = req.headers['content-type'] ?? '';
  const type = contentType.toLowerCase();
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON encoded request body");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest('JSON request body must be an object');
    }
    Object.assign(values, parsed);
  } else if (type.startsWith('multipart/form-data')) {
    // Node's fetch Request parses multipart natively; no extra dependency needed.
    let form: FormData;
    try {
      form = await new Request('http://emulator.invalid/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(body) }).formData();
    } catch {
      throw badRequest("can't parse multipart/form-data request body");
    }
    form.forEach((value, key) => {
      values[key] = value;
    });
  } else {
    Object.assign(values, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  }
  return new Params(values);
}

export function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function sendError(res: ServerResponse, err: ApiError): void {
  const payload: Record<string, unknown> = { ok: false, error_code: err.code, description: err.description };
  if (err.parameters) payload.parameters = err.parameters;
  sendJson(res, err.code, payload);
}
