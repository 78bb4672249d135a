import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders, signedPayload } from '../../shared/sheet-signature.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const secret = 'sheet-secret-0123456789-abcdef';
let database: TestDatabase;
let app: Awaited<ReturnType<typeof startTestApp>>;

/** Headers the add-on would send for `signedFor`, to be sent wherever the test likes. */
function sign(signedFor: { method: string; path: string }, body: string) {
  const timestamp = String(Date.now());
  const nonce = randomBytes(16).toString('hex');
  const signature = createHmac('sha256', secret).update(signedPayload(signedFor, timestamp, nonce, body)).digest('hex');
  return { 'content-type': 'application/json', [signatureHeaders.timestamp]: timestamp, [signatureHeaders.nonce]: nonce, [signatureHeaders.signature]: signature };
}

async function send(method: string, path: string, headers: Record<string, string>, body?: string) {
  const response = await fetch(app.url + path, { method, headers, body });
  return { status: response.status, body: (await response.json()) as any };
}

const unacked = async () => (await database.sql<{ n: number }>('select count(*)::int as n from sheet_outbox where acked_at is null'))[0]!.n;

beforeAll(async () => {
  database = await pgliteDatabase();
  app = await startTestApp(database.db, { SHEET_SECRET: secret, AI_CONCURRENCY: '0' });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

describe('the sheet signature covers the method and the path', () => {
  it('a body signed for /pull is refused at /ack and acknowledges nothing', async () => {
    const [row] = await database.sql<{ id: number }>(
      `select sheet_outbox_push('append_row', 'Справочник', null, '{"values": {}}'::jsonb) as id`,
    );
    const before = await unacked();
    const body = JSON.stringify({ ack: [Number(row!.id)] });
    const headers = sign({ method: 'POST', path: '/api/sheet/pull' }, body);

    const replayed = await send('POST', '/api/sheet/ack', headers, body);
    expect(replayed.status).toBe(401);
    expect(replayed.body.details).toEqual([{ field: signatureHeaders.signature, message: 'does not match' }]);
    expect(await unacked()).toBe(before);

    // The same signature where it was meant to go is good (its nonce was not spent by the refusal).
    const meant = await send('POST', '/api/sheet/pull', headers, body);
    expect(meant.status).toBe(200);
    expect(await unacked()).toBe(before - 1);
  });

  it('a signature for one method is refused with another', async () => {
    const headers = sign({ method: 'GET', path: '/api/sheet/status' }, '');
    expect((await send('POST', '/api/sheet/status', headers, '')).status).toBe(401);
    expect((await send('POST', '/api/sheet/status', sign({ method: 'POST', path: '/api/sheet/status' }, ''), '')).status).toBe(200);
  });

  it('the query string is signed too', async () => {
    const jobId = '6f1c1a52-9a43-4f3c-9f0e-2d4d1f0b8a11';
    const headers = sign({ method: 'GET', path: `/api/sheet/enrich/${jobId}` }, '');
    expect((await send('GET', `/api/sheet/enrich/${jobId}?x=1`, headers)).status).toBe(401);
    expect((await send('GET', `/api/sheet/enrich/${jobId}`, headers)).status).toBe(404);
  });
});
