import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminRepository } from '../../server/admin/admin-repository.ts';
import { createDemandRepository } from '../../server/demand/demand-repository.ts';
import { createOffersRepository } from '../../server/offers/offers-repository.ts';
import { transports, type TestDatabase } from '../support/databases.ts';

// The rules hold in SQL, not in the bot: racing calls straight to the functions, on the embedded
// database and on real PostgreSQL behind PostgREST (where calls really run in parallel).
describe.each(transports)('reservation races (%s)', (_name, open) => {
  let database: TestDatabase;
  let offers: ReturnType<typeof createOffersRepository>;
  let admin: ReturnType<typeof createAdminRepository>;

  beforeAll(async () => {
    database = await open();
    offers = createOffersRepository(database.db);
    admin = createAdminRepository(database.db);
    await createDemandRepository(database.db).configure({ reservation_limit: 2, offer_exclusive_hours: 48 });
  });
  afterAll(() => database?.close());

  const record = async (title: string) =>
    (await admin.createRecord({ title, artist: 'Race', genre: 'Rock', condition: 'VG', price: 1000, description: 'x' } as never)).number;

  it('twenty people pressing at once for one copy: one reservation', async () => {
    const n = await record('One Copy');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => offers.reserve(String(n), 3000 + i, null)));
    expect(results.filter((r) => r.result === 'reserved')).toHaveLength(1);
    expect(results.filter((r) => r.result === 'unavailable')).toHaveLength(19);
  });

  it('one person pressing for twenty records at once: exactly the limit', async () => {
    const numbers: number[] = [];
    for (let i = 0; i < 20; i++) numbers.push(await record(`Sweep ${i}`));
    const results = await Promise.all(numbers.map((n) => offers.reserve(String(n), 4000, '@sweeper')));
    expect(results.filter((r) => r.result === 'reserved')).toHaveLength(2);
    expect(results.filter((r) => r.result === 'limit')).toHaveLength(18);
    const [held] = await database.sql<{ n: string }>("select count(*)::text as n from reservations where chat_id = 4000 and status = 'active'");
    expect(held!.n).toBe('2');
  });

  it('a cancel frees a place under the limit; another person cannot cancel it', async () => {
    const [a, b, c] = [await record('Limit A'), await record('Limit B'), await record('Limit C')];
    const first = await offers.reserve(String(a), 5000, null);
    await offers.reserve(String(b), 5000, null);
    expect((await offers.reserve(String(c), 5000, null)).result).toBe('limit');
    expect((await offers.endReservation(first.reservation_id!, 5001, 'customer')).result).toBe('not_found');
    expect((await offers.endReservation(first.reservation_id!, 5000, 'customer')).result).toBe('cancelled');
    expect((await offers.endReservation(first.reservation_id!, 5000, 'customer')).result).toBe('closed');
    expect((await offers.reserve(String(c), 5000, null)).result).toBe('reserved');
  });
});
