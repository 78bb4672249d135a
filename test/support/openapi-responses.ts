import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument, type OpenApiDocument } from '../../server/openapi/openapi-document.ts';

/**
 * Checks responses of the real server against the OpenAPI document: the status must be documented
 * for the operation and a JSON body must match its schema. test-app.ts runs every API test's
 * responses through it, so a response that drifts from the document fails the test file.
 */
export function createResponseChecker(document: OpenApiDocument = buildOpenApiDocument({ version: 'test' })) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addSchema(document as object, 'openapi.json');
  const routes = Object.entries(document.paths).map(([path, operations]) => ({
    path,
    pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    operations: operations as Record<string, { responses: Record<string, { content?: Record<string, { schema?: unknown }> }> }>,
  }));
  const pointer = (...parts: string[]) => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

  /** Problems with one response; [] when it matches (or is not an API operation at all). */
  return function check(method: string, url: string, status: number, contentType: string | undefined, body: Buffer): string[] {
    const path = url.split('?')[0]!;
    const route = routes.find((r) => r.pattern.test(path));
    const operation = route?.operations[method.toLowerCase()];
    if (!route || !operation) return [];
    const where = `${method} ${path} → ${status}`;
    const response = operation.responses[String(status)];
    if (!response) return [`${where}: status not in the document`];
    if (!contentType?.startsWith('application/json') || !response.content?.['application/json']?.schema || body.length === 0) return [];
    const schemaRef = `openapi.json#/${pointer('paths', route.path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`;
    try {
      const validate = ajv.getSchema(schemaRef) ?? ajv.compile({ $ref: schemaRef });
      if (validate(JSON.parse(body.toString('utf8')))) return [];
      return [`${where}: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}`];
    } catch (error) {
      return [`${where}: cannot check (${(error as Error).message})`];
    }
  };
}
export type ResponseChecker = ReturnType<typeof createResponseChecker>;

/** Collects a response's bytes as they are written and hands them, decoded, to `done`. */
export function captureResponse(req: IncomingMessage, res: ServerResponse, done: (status: number, contentType: string | undefined, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
  };
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    if (req.method !== 'HEAD') {
      let body = Buffer.concat(chunks);
      const encoding = res.getHeader('content-encoding');
      if (encoding === 'gzip') body = gunzipSync(body);
      else if (encoding === 'br') body = brotliDecompressSync(body);
      else if (encoding === 'deflate') body = inflateSync(body);
      done(res.statusCode, res.getHeader('content-type')?.toString(), body);
    }
    return end(chunk, ...rest);
  }) as typeof res.end;
}
