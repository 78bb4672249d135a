import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertText } from '../../server/telegram/admin/admin-alerts.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await pgliteDatabase();
});
afterAll(async () => database?.close());
const collect = () => database.db.read<Array<Record<string, unknown> & { kind: string }>>('admin_alerts_collect', { p_sheet_silence_minutes: 60 });

describe('admin alerts', () => {
  it('each failed delivery, template fallback, rejected push and sheet silence is reported once, older failures never', async () => {
    const [record] = await database.sql<{ id: string }>(`insert into records (title, artist, status) values ('Blue <Train>', 'John Coltrane', 'search_request') returning id`);
    await database.sql(`insert into telegram_deliveries (kind, chat_id, status, attempts, last_error) values ('offer', 501, 'failed', 5, 'old failure')`);
    await database.sql(`insert into sheet_sync_log (kind, errors, at) values ('push', 0, now() - interval '2 hours')`);
    // The first call marks what is history; a silence going on now is news.
    expect((await collect()).map((a) => a.kind)).toEqual(['sheet_silent']);

    await database.sql(`insert into telegram_deliveries (kind, chat_id, status, attempts, last_error) values ('offer', 502, 'failed', 5, 'Forbidden: bot was blocked by the user')`);
    await database.sql(`insert into ai_jobs (record_id, state, result) values ($1, 'done', '{"fallback_used": true, "stages": {"description": "template"}}'), ($1, 'done', '{"fallback_used": false, "stages": {"description": "openai"}}')`, [record!.id]);
    await database.sql(`insert into sheet_sync_log (kind, errors, at) values ('push', 3, now() - interval '90 minutes')`);
    const alerts = await collect();
    expect(alerts.map((a) => a.kind)).toEqual(['delivery_failed', 'ai_template', 'sheet_rejected', 'sheet_silent']);
    expect(alerts.map((a) => alertText(a as never)).join('\n')).toMatch(/после 5 попыток \(offer, чат 502\): Forbidden: bot was blocked by the user/);
    expect(alertText(alerts[1] as never)).toContain('Blue &lt;Train&gt;');
    expect(await collect()).toEqual([]);
    // A sync ends the silence; a new silence is a new alert.
    await database.sql(`insert into sheet_sync_log (kind, errors, at) values ('pull', 0, now() - interval '61 minutes')`);
    expect((await collect()).map((a) => a.kind)).toEqual(['sheet_silent']);
  });
});
