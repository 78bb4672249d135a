import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import type { RecordChange } from '../../shared/audit-contract.ts';
import { ADMIN, buttonData, buttonsOf, startAdminBotWorld, type AdminBotWorld } from './admin-bot-kit.ts';

const token = 'admin-token-0123456789-abcdef';
const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
let world: AdminBotWorld;

beforeAll(async () => {
  world = await startAdminBotWorld({ ADMIN_API_TOKEN: token });
  await createCatalogRepository(world.database.db).importRecords([
    { title: 'Blue <Train>', artist: 'John Coltrane', status: 'available', genre: 'Jazz', condition: 'VG', price: 5000 },
  ]);
}, 120_000);
afterAll(async () => world?.close());

const history = async () => {
  const response = await fetch(`${world.app.url}/api/admin/records/1/history`, { headers: auth });
  return ((await response.json()) as { changes: RecordChange[] }).changes;
};
const editFromCard = async (field: 'price' | 'condition', value: string) => {
  await world.say(ADMIN, '/record_1');
  await world.press(ADMIN, `a:r:1:ed:${field}`);
  await world.say(ADMIN, value);
};

describe('the record card’s history and who made each change', () => {
  it('a change from the bot is the bot’s, one from the admin API is the API’s; 🕓 История pages through them', async () => {
    await editFromCard('price', '5500');
    const patched = await fetch(`${world.app.url}/api/admin/records/1/status`, { method: 'PATCH', headers: auth, body: JSON.stringify({ status: 'reserved' }) });
    expect(patched.status).toBe(200);
    await world.say(ADMIN, '/status 1 sold');
    await editFromCard('condition', 'VG+');
    await editFromCard('price', '6000');

    const changes = await history();
    const of = (field: string) => changes.filter((c) => c.field === field).map((c) => [c.old_value, c.new_value, c.actor, c.via]);
    expect(of('price')).toEqual([
      [5500, 6000, 'bot', 'bot_update_fields'],
      [5000, 5500, 'bot', 'bot_update_fields'],
    ]);
    expect(of('status')).toEqual([
      ['reserved', 'sold', 'bot', 'bot_set_status'],
      ['available', 'reserved', 'admin', 'admin_set_status'],
    ]);
    expect(of('condition')).toEqual([['VG', 'VG+', 'bot', 'bot_update_fields']]);

    // The card's «🕓 История»: newest first, who in Russian, values escaped.
    const [card] = await world.say(ADMIN, '/record_1');
    const [page] = await world.press(ADMIN, buttonData(card, /История/));
    expect(page?.method).toBe('sendMessage');
    expect(page?.raw_text).toContain('История №1 John Coltrane — Blue &lt;Train&gt;');
    const lines = (page?.text ?? '').split('\n').filter((line) => / · /.test(line));
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/ · бот · Цена: 5500 → 6000$/);
    expect(page?.text).toMatch(/ · бот · Состояние: VG → VG\+/);
    expect(page?.text).toMatch(/ · бот · Статус: reserved → sold/);
    expect(page?.text).toMatch(/ · админ-API · Статус: available → reserved/);
    // The older page replaces this one in place, and goes back.
    const [older] = await world.press(ADMIN, buttonData(page, /Старее/));
    expect(older?.method).toBe('editMessageText');
    expect(older?.message_id).toBe(page?.message_id);
    expect(older?.text).toMatch(/Изменения 6–6[\s\S]* · система · создана запись$/);
    expect(buttonsOf(older).map(([text]) => text)).toContain('⬅️ Новее');
    const [newer] = await world.press(ADMIN, buttonData(older, /Новее/));
    expect(newer?.text).toMatch(/Изменения 1–5/);
  });
});
