import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordHistoryText } from '../../server/audit/history-text.ts';
import { signTelegramLogin } from '../../server/auth/telegram-login.ts';
import { createSheetSync } from '../../server/sheet/sheet-sync-service.ts';
import type { RecordChange } from '../../shared/audit-contract.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { transports, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const token = 'admin-token-0123456789-abcdef';
const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };

describe.each(transports)('audit trail of records over %s', (_name, open) => {
  let database: TestDatabase;
  let api: Awaited<ReturnType<typeof startTestApp>>;
  // A bot, so that a customer's website request can be a verified one (Telegram Login Widget).
  let emu: TelegramEmulator;
  beforeAll(async () => {
    emu = await startTelegramEmulator({ botUsername: 'vinyl_test_bot', limits: false });
    database = await open();
    api = await startTestApp(database.db, {
      ADMIN_API_TOKEN: token,
      AI_CONCURRENCY: '0',
      TELEGRAM_BOT_TOKEN: emu.token,
      TELEGRAM_BOT_USERNAME: emu.botUsername,
      ADMIN_TELEGRAM_ID: '900',
      TELEGRAM_API_ROOT: emu.apiRoot,
      TELEGRAM_RATE_PER_SECOND: '1000',
    });
  });
  afterAll(async () => {
    await api?.close();
    await emu?.close();
    await database?.close();
  });

  const history = async (id: string) => {
    const response = await api.get(`/api/admin/records/${id}/history`, auth);
    expect(response.status).toBe(200);
    return response.body.changes as RecordChange[];
  };
  const send = (method: string, path: string, body: unknown) => fetch(api.url + path, { method, headers: auth, body: JSON.stringify(body) });

  it('keeps every change with its field, old and new value and actor, after the record is deleted too', async () => {
    const created = (await (await send('POST', '/api/admin/records', { title: 'Animals', artist: 'Pink Floyd', status: 'search_request' })).json()) as { record_id: string };
    const id = created.record_id as string;
    expect((await send('PATCH', `/api/admin/records/${id}/status`, { status: 'procurement' })).status).toBe(200);
    // A customer asks for it on the website, logged in with Telegram: verified interest counts.
    const telegram_auth = signTelegramLogin({ id: 501, username: 'fan', auth_date: Math.floor(Date.now() / 1000) }, emu.token);
    expect((await send('POST', '/api/search-requests', { title: 'Animals', artist: 'Pink Floyd', telegram_auth })).status).toBe(200);
    // The AI fills its texts (the built-in template: no provider configured).
    expect((await send('POST', `/api/ai/enrich/${id}`, {})).status).toBe(200);
    await api.vinyl.catalog.softDelete(id);

    let changes = await history(id);
    const by = (field: string) => changes.filter((c) => c.field === field);
    expect(changes.at(-1)).toMatchObject({ field: '(created)', actor: 'admin', via: 'admin_create_record', old_value: null });
    expect((changes.at(-1)!.new_value as { title: string }).title).toBe('Animals');
    expect(by('status').map((c) => [c.old_value, c.new_value, c.actor])).toEqual([
      ['procurement', 'deleted', 'admin'],
      ['search_request', 'procurement', 'admin'],
    ]);
    expect(by('preorder_count')[0]).toMatchObject({ old_value: 0, new_value: 1, actor: 'customer' });
    expect(by('description')[0]).toMatchObject({ old_value: null, actor: 'ai' });
    expect(typeof by('description')[0]!.new_value).toBe('string');
    // Newest first, in a total order.
    expect(changes.map((c) => c.id)).toEqual([...changes.map((c) => c.id)].sort((a, b) => b - a));

    // Removed from the table for good: the history stays, with the last values.
    await database.sql('delete from records where id = $1', [id]);
    changes = await history(id);
    expect(changes[0]).toMatchObject({ field: '(deleted)', new_value: null, actor: 'system' });
    expect((changes[0]!.old_value as { status: string }).status).toBe('deleted');
    expect(changes.length).toBeGreaterThan(5);
  });

  it('names the sheet as the actor of its pushes, and the bot card shows the history in Russian, escaped', async () => {
    const sync = createSheetSync({ db: database.db });
    const id = randomUUID();
    const row = (title: string) => ({ id, fields: { title, artist: 'Кино', status: '🟡 Search Request (trend)' } });
    expect((await sync.push({ rows: [row('Группа крови')], reason: 'edit', ack: [] })).accepted).toBe(1);
    expect((await sync.push({ rows: [row('Звезда <по имени> Солнце')], reason: 'edit', ack: [] })).accepted).toBe(1);
    const changes = await history(id);
    // The slug follows the title (a derived column the website's URLs use).
    expect(changes.map((c) => [c.field, c.actor])).toEqual([
      ['title', 'sheet'],
      ['slug', 'sheet'],
      ['(created)', 'sheet'],
    ]);
    expect(changes[0]).toMatchObject({ old_value: 'Группа крови', new_value: 'Звезда <по имени> Солнце' });
    const text = recordHistoryText(api.vinyl.audit ? (await api.vinyl.audit.recordHistory(id)).changes : []);
    expect(text).toContain('таблица · Название: Группа крови → Звезда &lt;по имени&gt; Солнце');
    expect(text).toContain('создана запись');
  });

  it('answers 401 without the admin token and 400 for a malformed id', async () => {
    expect((await api.get(`/api/admin/records/${randomUUID()}/history`)).status).toBe(401);
    const bad = await api.get('/api/admin/records/not-a-record/history', auth);
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('id');
    // A record number is a key too: one with no record is a 404 naming the parameter.
    const missing = await api.get('/api/admin/records/999999/history', auth);
    expect(missing.status).toBe(404);
    expect(missing.body.details[0].field).toBe('id');
    expect((await history(randomUUID())).length).toBe(0);
  });
});
