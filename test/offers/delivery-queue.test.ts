import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryRepository } from '../../server/telegram/delivery-repository.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';

describe('durable Telegram queue', () => {
  let database: TestDatabase;
  let queue: ReturnType<typeof createDeliveryRepository>;
  beforeAll(async () => {
    database = await pgliteDatabase();
    queue = createDeliveryRepository(database.db);
  });
  afterAll(() => database?.close());

  const enqueue = async (chatId: number) =>
    Number((await database.sql<{ id: string }>("select delivery_enqueue('notice', $1, '{}'::jsonb) as id", [chatId]))[0]!.id);

  it('a claim held by a crashed worker is taken over after its lease, and the first sent marker wins', async () => {
    const id = await enqueue(1);
    expect((await queue.claim('dead', 10, 1)).map((j) => j.id)).toEqual([id]);
    expect(await queue.claim('alive', 10, 30)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await queue.claim('alive', 10, 30)).map((j) => j.id)).toEqual([id]);
    expect(await queue.complete(id, 'alive', 55)).toBe(true);
    expect(await queue.complete(id, 'dead', 56)).toBe(false);
    expect(await queue.claim('alive', 10, 30)).toEqual([]);
  });

  it('claims one message per chat and none for a chat sent to in the last second', async () => {
    const [a1, a2, b1] = [await enqueue(2), await enqueue(2), await enqueue(3)];
    const first = await queue.claim('w', 10, 30);
    expect(first.map((j) => j.id)).toEqual([a1, b1]);
    await queue.complete(a1, 'w', 1);
    expect(await queue.claim('w', 10, 30)).toEqual([]);
    await new Promise((r) => setTimeout(r, 1050));
    expect((await queue.claim('w', 10, 30)).map((j) => j.id)).toEqual([a2]);
  });

  it('retries after 30 s, 5 min and 1 h, honours retry_after without using an attempt, then tells the admin', async () => {
    const id = await enqueue(4);
    const due = async () => Number((await database.sql<{ s: string }>('select extract(epoch from next_attempt_at - now())::int as s from telegram_deliveries where id = $1', [id]))[0]!.s);
    await queue.claim('w', 10, 30);
    await queue.fail(id, 'w', 'flood', 7, '429');
    expect(await due()).toBe(7);
    for (const expected of [30, 300, 3600]) {
      await database.sql('update telegram_deliveries set next_attempt_at = now() where id = $1', [id]);
      await queue.claim('w', 10, 30);
      expect(await queue.fail(id, 'w', 'transient', null, '502')).toEqual({ outcome: 'retry' });
      expect(await due()).toBe(expected);
    }
    await database.sql('update telegram_deliveries set next_attempt_at = now() where id = $1', [id]);
    await queue.claim('w', 10, 30);
    expect(await queue.fail(id, 'w', 'transient', null, '502')).toEqual({ outcome: 'failed' });
    const events = await database.sql("select type, notify from admin_events where type = 'delivery_failed'");
    expect(events).toEqual([{ type: 'delivery_failed', notify: 'digest' }]);
  });
});
