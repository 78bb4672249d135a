import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbError } from '../../server/db/database.ts';
import { databaseErrorProblem } from '../../server/http/database-error-problem.ts';
import { signatureHeaders, signedPayload } from '../../shared/sheet-signature.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const secret = 'sheet-secret-0123456789-abcdef';
const adminToken = 'admin-token-0123456789-abcdef';
const recordId = '6f1c1a52-9a43-4f3c-9f0e-2d4d1f0b8a11';
/** Words of Postgres's own messages; none may reach a client. */
const postgresWords = /syntax|type json|violates|constraint|relation|column|invalid input|unicode escape|cannot be converted|sqlstate|22P0|pglite/i;

let database: TestDatabase;
let app: Awaited<ReturnType<typeof startTestApp>>;

/** Sends JSON text as written (so it can hold escapes JSON.stringify would never produce). */
async function sendText(path: string, text: string, as: 'admin' | 'sheet' | 'public') {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (as === 'admin') headers.authorization = `Bearer ${adminToken}`;
  if (as === 'sheet') {
    const timestamp = String(Date.now());
    const nonce = randomBytes(16).toString('hex');
    headers[signatureHeaders.timestamp] = timestamp;
    headers[signatureHeaders.nonce] = nonce;
    headers[signatureHeaders.signature] = createHmac('sha256', secret).update(signedPayload({ method: 'POST', path }, timestamp, nonce, text)).digest('hex');
  }
  const response = await fetch(app.url + path, { method: 'POST', headers, body: text });
  const raw = await response.text();
  return { status: response.status, raw, body: JSON.parse(raw) as { error: string; details: Array<{ field: string; message: string }> } };
}

beforeAll(async () => {
  database = await pgliteDatabase();
  app = await startTestApp(database.db, { SHEET_SECRET: secret, ADMIN_API_TOKEN: adminToken, AI_CONCURRENCY: '0' });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('database error text never reaches a client', () => {
  // Each of these once came back as 400 "invalid input syntax for type json" (or was stored as "�").
  const broken = '"\\ud800 broken"';
  it.each(([
    ['/api/admin/records', `{"title": ${broken}, "artist": "X", "genre": "Rock", "condition": "VG+", "price": 100}`, 'admin', 'title'],
    ['/api/admin/records', `{"title": "T", "artist": "X", "genre": "Rock", "condition": "VG+", "price": 100, "description": "a\\udc00"}`, 'admin', 'description'],
    ['/api/sheet/push', `{"rows": [{"id": "${recordId}", "fields": {"title": ${broken}, "artist": "A"}}], "reason": "edit", "ack": []}`, 'sheet', 'rows.0.fields.title'],
    ['/api/sheet/templates', `{"templates": [{"type": "offer", "title": ${broken}, "body": "x"}], "ack": []}`, 'sheet', 'templates.0.title'],
    ['/api/sheet/reconcile', `{"rows": [{"id": "${recordId}", "hash": ${broken}}], "ack": []}`, 'sheet', 'rows.0.hash'],
    ['/api/search-requests', `{"title": ${broken}, "artist": "X", "customer_id": "c1"}`, 'public', 'title'],
  ] as const).map(([path, text, as, field]) => ({ path, text, as, field })))('a broken character in $path is a 400 naming $field', async ({ path, text, as, field }) => {
    const before = await database.sql('select count(*) from records');
    const { status, raw, body } = await sendText(path, text, as);
    expect(status).toBe(400);
    expect(body.details).toEqual([{ field, message: expect.stringMatching(/broken character/) }]);
    expect(raw).not.toMatch(postgresWords);
    expect(await database.sql('select count(*) from records')).toEqual(before);
  });

  it('a NUL character the database cannot store is refused in words', async () => {
    const { status, raw, body } = await sendText('/api/sheet/reconcile', `{"rows": [{"id": "${recordId}", "hash": "a\\u0000b"}], "ack": []}`, 'sheet');
    expect(status).toBe(400);
    expect(body.details[0]!.message).toMatch(/cannot be stored/);
    expect(raw).not.toMatch(postgresWords);
  });

  it('our own SQL checks keep their field and words', async () => {
    const { status, body } = await sendText('/api/admin/records', '{"title": "T", "artist": "X", "status": "search_request", "year": 1850}', 'admin');
    expect(status).toBe(400);
    expect(body.details.map((d) => d.field)).toEqual(['year']);
  });
});

describe('a refusal by Postgres becomes a field and a reason', () => {
  it.each(([
    [new DbError('22P02', 'invalid input syntax for type json', undefined, 'Token "x" is invalid.'), { field: '(body)', message: 'is not in the expected form' }],
    [new DbError('23505', 'duplicate key value violates unique constraint "records_slug_key"', undefined, 'Key (slug)=(x-y) already exists.'), { field: 'slug', message: 'already exists' }],
    [new DbError('22003', 'value "99999999999" is out of range for type integer'), { field: '(body)', message: 'is out of range' }],
    [new DbError('22008', 'date/time field value out of range: "2026-13-01"', 'Perhaps you need a different "datestyle" setting.'), { field: '(body)', message: 'is not a valid date or time' }],
    [new DbError('2200G', 'most specific type mismatch'), { field: '(body)', message: 'is not a valid value' }],
    [new DbError('23514', 'year: expected a number from 1900 to 2027', 'year'), { field: 'year', message: 'year: expected a number from 1900 to 2027' }],
  ] as const).map(([error, problem]) => ({ code: error.code, error, problem })))('SQLSTATE $code', ({ error, problem }) => {
    expect(databaseErrorProblem(error)).toEqual(problem);
  });
});
