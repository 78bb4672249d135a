import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const adminToken = 'admin-token-0123456789-abcdef';
let database: TestDatabase;
let app: Awaited<ReturnType<typeof startTestApp>>;

async function send(method: string, path: string, body?: unknown) {
  const response = await fetch(app.url + path, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function createRecord(fields: Record<string, unknown>) {
  const { status, body } = await send('POST', '/api/admin/records', { artist: 'Kate Bush', genre: 'Rock', condition: 'VG+', price: 3000, ...fields });
  expect(status).toBe(201);
  return body as { record_id: string; row_number: number };
}

beforeAll(async () => {
  database = await pgliteDatabase();
  app = await startTestApp(database.db, { ADMIN_API_TOKEN: adminToken, AI_CONCURRENCY: '0' });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('admin endpoints take a record number as well as a uuid', () => {
  it('PATCH /api/admin/records/<number>/status changes that record', async () => {
    const { record_id, row_number } = await createRecord({ title: 'Hounds of Love' });
    const { status, body } = await send('PATCH', `/api/admin/records/${row_number}/status`, { status: 'reserved' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ previous_status: 'available', record_status: 'reserved' });
    expect(await database.sql('select status from records where id = $1', [record_id])).toEqual([{ status: 'reserved' }]);
  });

  it('POST /api/admin/send-notifications/<number> and /api/ai/enrich/<number> act on that record', async () => {
    const { record_id, row_number } = await createRecord({ title: 'The Kick Inside' });
    const offers = await send('POST', `/api/admin/send-notifications/${row_number}`);
    expect(offers.status).toBe(200);
    expect(offers.body).toMatchObject({ recipients: 0 });

    const enriched = await send('POST', `/api/ai/enrich/${row_number}`);
    expect(enriched.status).toBe(200);
    expect(enriched.body).toMatchObject({ status: 'completed' });
    const [row] = await database.sql<{ description: string | null }>('select description from records where id = $1', [record_id]);
    expect(row!.description).toBeTruthy();
    // The uuid still works.
    expect((await send('POST', `/api/ai/enrich/${record_id}`)).status).toBe(200);
  });

  it('a number with no record is a 404 naming the parameter; anything else is a 400', async () => {
    for (const path of ['/api/admin/send-notifications/99999', '/api/ai/enrich/99999']) {
      const { status, body } = await send('POST', path);
      expect(status).toBe(404);
      expect(body.details.map((d: { field: string }) => d.field)).toEqual(['record_id']);
    }
    expect((await send('PATCH', '/api/admin/records/99999/status', { status: 'sold' })).status).toBe(404);
    for (const key of ['12ab', '-3', '1e3', '1234567890']) {
      const { status, body } = await send('POST', `/api/admin/send-notifications/${key}`);
      expect(status).toBe(400);
      expect(body.details[0]).toEqual({ field: 'record_id', message: 'expected a record id (uuid) or number' });
    }
  });
});
