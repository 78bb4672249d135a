// A local Supabase Storage API for tests: the endpoints supabase-js's storage client calls, with
// the answers Supabase documents (https://supabase.com/docs/reference/javascript/storage-createbucket,
// storage-from-upload, storage-from-getpublicurl; the server is github.com/supabase/storage).
// Requests need the project's key (apikey or Authorization: Bearer); public objects do not.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

interface Bucket {
  id: string;
  name: string;
  public: boolean;
  created_at: string;
}
interface StoredObject {
  id: string;
  bytes: Buffer;
  contentType: string;
  cacheControl: string | undefined;
}

export interface SupabaseStorageEmulator {
  /** The project URL to give createClient (the API lives under /storage/v1). */
  readonly url: string;
  readonly key: string;
  buckets(): Bucket[];
  object(bucket: string, path: string): StoredObject | undefined;
  /** Requests per "METHOD /path-pattern". */
  calls(): string[];
  close(): Promise<void>;
}

const error = (res: ServerResponse, status: number, code: string, message: string) => json(res, status, { statusCode: String(status), error: code, message });
function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startSupabaseStorageEmulator(opts: { key?: string } = {}): Promise<SupabaseStorageEmulator> {
  const key = opts.key ?? 'sb_secret_storage_emulator_key';
  const buckets = new Map<string, Bucket>();
  const objects = new Map<string, StoredObject>();
  const log: string[] = [];

  const authorized = (req: IncomingMessage) => req.headers.apikey === key || req.headers.authorization === `Bearer ${key}`;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = decodeURIComponent(url.pathname);
    const publicObject = /^\/storage\/v1\/object\/public\/([^/]+)\/(.+)$/.exec(path);
    if (publicObject && (req.method === 'GET' || req.method === 'HEAD')) {
      log.push(`${req.method} /object/public`);
      const bucket = buckets.get(publicObject[1]!);
      const object = objects.get(`${publicObject[1]}/${publicObject[2]}`);
      if (!bucket?.public || !object) return error(res, 400, 'not_found', 'Object not found');
      res.writeHead(200, { 'content-type': object.contentType, 'content-length': object.bytes.length, ...(object.cacheControl ? { 'cache-control': object.cacheControl } : {}) });
      return res.end(req.method === 'HEAD' ? undefined : object.bytes);
    }
    if (!path.startsWith('/storage/v1/')) return error(res, 404, 'not_found', 'Not found');
    if (!authorized(req)) return error(res, 400, 'Unauthorized', 'invalid signature');

    const bucketById = /^\/storage\/v1\/bucket\/([^/]+)$/.exec(path);
    if (bucketById && req.method === 'GET') {
      log.push('GET /bucket/:id');
      const bucket = buckets.get(bucketById[1]!);
      return bucket ? json(res, 200, bucket) : error(res, 400, 'Bucket not found', 'Bucket not found');
    }
    if (path === '/storage/v1/bucket' && req.method === 'POST') {
      log.push('POST /bucket');
      const input = JSON.parse((await body(req)).toString('utf8') || '{}') as { id?: string; name?: string; public?: boolean };
      const id = input.id ?? input.name;
      if (!id || !/^[a-z0-9][a-z0-9._-]{2,62}$/.test(id)) return error(res, 400, 'Invalid Input', 'Bucket name invalid');
      if (buckets.has(id)) return error(res, 400, 'Duplicate', 'The resource already exists');
      buckets.set(id, { id, name: input.name ?? id, public: input.public === true, created_at: new Date().toISOString() });
      return json(res, 200, { name: id });
    }
    const upload = /^\/storage\/v1\/object\/([^/]+)\/(.+)$/.exec(path);
    if (upload && (req.method === 'POST' || req.method === 'PUT')) {
      log.push(`${req.method} /object/:bucket/:path`);
      const [bucketId, objectPath] = [upload[1]!, upload[2]!];
      if (!buckets.has(bucketId)) return error(res, 400, 'Bucket not found', 'Bucket not found');
      const fullKey = `${bucketId}/${objectPath}`;
      const existing = objects.get(fullKey);
      // POST creates (x-upsert: true replaces); PUT replaces an existing object.
      if (req.method === 'POST' && existing && req.headers['x-upsert'] !== 'true') return error(res, 400, 'Duplicate', 'The resource already exists');
      if (req.method === 'PUT' && !existing) return error(res, 400, 'not_found', 'Object not found');
      const bytes = await body(req);
      const object: StoredObject = { id: existing?.id ?? randomUUID(), bytes, contentType: String(req.headers['content-type'] ?? 'application/octet-stream'), cacheControl: req.headers['cache-control'] as string | undefined };
      objects.set(fullKey, object);
      return json(res, 200, { Id: object.id, Key: fullKey });
    }
    return error(res, 404, 'not_found', 'Not found');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => error(res, 500, 'internal', String(err)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    key,
    buckets: () => [...buckets.values()],
    object: (bucket, path) => objects.get(`${bucket}/${path}`),
    calls: () => [...log],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
