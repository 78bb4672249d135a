import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { ADMIN, buttonData, buttonsOf, startAdminBotWorld, type AdminBotWorld } from './admin-bot-kit.ts';

const STRANGER = 777;
const refusal = 'Эта команда доступна только администратору магазина.';
let world: AdminBotWorld;
const statusOf = async (n: number) => (await world.app.get(`/api/records/${n}`)).body.status;

beforeAll(async () => {
  world = await startAdminBotWorld();
  await createCatalogRepository(world.database.db).importRecords([
    { title: 'Abbey Road', artist: 'The Beatles', status: 'available', genre: 'Rock', condition: 'VG+', price: 5000 },
    { title: 'The Wall', artist: 'Pink Floyd', status: 'available', genre: 'Rock', condition: 'NM', price: 6000 },
    { title: 'Nevermind', artist: 'Nirvana', status: 'available', genre: 'Grunge', condition: 'VG', price: 3000 },
    { title: 'Kind <of> Blue', artist: 'Miles Davis', status: 'procurement' },
  ]);
}, 120_000);
afterAll(async () => world?.close());

describe('the admin panel refuses everyone else', () => {
  it('every admin command and every admin button from a non-admin gets a polite refusal and changes nothing', async () => {
    for (const command of ['/menu', '/add', '/search Abbey', '/status 1 sold', '/bulk_status sold 1-3', '/stats', '/analytics', '/settings', '/notifications', '/cancel', '/record_1']) {
      const answers = await world.say(STRANGER, command);
      expect(answers.map((m) => m.text), command).toEqual([refusal]);
    }
    // A modified client can send any callback data on a message it sees: each is refused, answered.
    const seen = world.emu.sent({ chatId: STRANGER }).at(-1)!;
    for (const data of ['a:m:add', 'a:m:stats', 'a:m:notif', 'a:r:1:st:sd', 'a:r:2:ed:price', 'a:r:1:ai', 'a:r:1:of', 'a:r:4:cf:av', 'a:w:abc123:v', 'a:w:abc123:x', 'a:sp:0:abbey', 'a:pt:4:x', 'a:pt:4:w', 'a:r:1:h:0', 'a:r:1:hp:5']) {
      const id = await world.emu.user(STRANGER).sendCallbackData(seen, data);
      await world.settle();
      expect(world.emu.callbackAnswer(id), data).toEqual({ text: refusal, show_alert: true });
    }
    expect(await statusOf(1)).toBe('available');
    expect(await statusOf(4)).toBe('procurement');
    // No task state was touched (a task's row is made at its first change).
    expect(await world.database.sql(`select * from admin_events where type = 'procurement'`)).toEqual([]);
    expect(await world.database.sql('select * from admin_conversations')).toEqual([]);
    expect(await world.database.sql('select * from ai_jobs where force')).toEqual([]);
    // Words that would change a status for the admin are not an admin action for anyone else.
    const before = world.emu.sent({ chatId: STRANGER }).length;
    await world.emu.user(STRANGER).sendText('Abbey Road продана');
    await world.settle();
    expect(world.emu.sent({ chatId: STRANGER }).length).toBe(before);
    expect(await statusOf(1)).toBe('available');
    // The customers' own /start still works for them.
    const [welcome] = await world.say(STRANGER, '/start');
    expect(welcome?.text).not.toBe(refusal);
    expect(buttonsOf(welcome).some(([, data]) => data.startsWith('a:'))).toBe(false);
  });
});

describe('the admin’s menu, words and status commands', () => {
  it('/start and /menu show the six sections', async () => {
    for (const command of ['/start', '/menu']) {
      const [menu] = await world.say(ADMIN, command);
      expect(menu?.text).toMatch(/Панель администратора/);
      expect(buttonsOf(menu).map(([text]) => text)).toEqual(['➕ Добавить пластинку', '📊 Статистика', '🔍 Поиск', '📬 Уведомления', '⚙️ Настройки', '📈 Аналитика']);
    }
  });

  it('a greeting gets a friendly answer and the menu', async () => {
    const [answer] = await world.say(ADMIN, 'Добрый день!');
    expect(answer?.text).toMatch(/Панель администратора/);
    expect(buttonsOf(answer)).toHaveLength(6);
  });

  it('«Abbey Road продана» finds the record and changes it only after «Да»', async () => {
    const [question] = await world.say(ADMIN, 'Abbey Road прoдана');
    expect(question?.text).toMatch(/Отметить №1 The Beatles — Abbey Road как 🔴 Sold\?/);
    expect(await statusOf(1)).toBe('available');
    const [done] = await world.press(ADMIN, buttonData(question, /Да/));
    expect(done?.text).toMatch(/№1 The Beatles — Abbey Road: 🟢 Available → 🔴 Sold/);
    expect(await statusOf(1)).toBe('sold');
    // The sheet's row follows through the outbox, as after a sheet edit.
    const outbox = await world.database.sql<{ payload: { fields: { status: string } } }>(
      `select payload from sheet_outbox where op = 'set_fields' and record_id = (select id from records where number = 1)`);
    expect(outbox.at(-1)?.payload.fields.status).toBe('🔴 Sold');
    // The old «Да» still answers, and changes nothing twice.
    const [again] = await world.press(ADMIN, buttonData(question, /Да/));
    expect(again?.text).toMatch(/уже 🔴 Sold/);
  });

  it('/status takes English names, the sheet’s labels and Russian words, and refuses to put a record on sale without its price', async () => {
    expect((await world.say(ADMIN, '/status 2 reserved'))[0]?.text).toMatch(/№2 Pink Floyd — The Wall: 🟢 Available → 🟠 Reserved/);
    expect((await world.say(ADMIN, '/status 2 🟢 Available'))[0]?.text).toMatch(/→ 🟢 Available/);
    expect((await world.say(ADMIN, '/status 2 продана'))[0]?.text).toMatch(/→ 🔴 Sold/);
    const [missing] = await world.say(ADMIN, '/status 4 в наличии');
    expect(missing?.text).toMatch(/№4 Miles Davis — Kind <of> Blue: не заполнено Жанр, Состояние, Цена/);
    expect(missing?.raw_text).toContain('Kind &lt;of&gt; Blue');
    expect(await statusOf(4)).toBe('procurement');
    expect((await world.say(ADMIN, '/status 2 банан'))[0]?.text).toMatch(/Как пользоваться/);
  });

  it('/bulk_status edits one progress message and ends with a line per record, the bad number named', async () => {
    const answers = await world.say(ADMIN, '/bulk_status available 1-3, 99');
    const sends = answers.filter((m) => m.method === 'sendMessage');
    expect(sends).toHaveLength(1);
    const final = answers.at(-1)!;
    expect(final.method).toBe('editMessageText');
    expect(final.message_id).toBe(sends[0]!.message_id);
    expect(final.text).toMatch(/^Готово: обновлено 3 из 4, не удалось 1\./);
    expect(final.text).toMatch(/✅ №1 .*→ 🟢 Available/);
    expect(final.text).toMatch(/✅ №3 Nirvana — Nevermind: уже 🟢 Available/);
    expect(final.text).toMatch(/❌ №99: нет в каталоге/);
    expect(await statusOf(1)).toBe('available');
    expect(await statusOf(2)).toBe('available');
    expect((await world.say(ADMIN, '/bulk_status sold 5-1000'))[0]?.text).toMatch(/не больше 200/);
  });

  it('search lists records with a button each, and the card has the record’s buttons', async () => {
    const [list] = await world.say(ADMIN, 'найди nirvana');
    expect(list?.text).toMatch(/№3 Nirvana — Nevermind/);
    const [card] = await world.press(ADMIN, buttonData(list, /№3/));
    expect(card?.text).toMatch(/№3 Nirvana — Nevermind/);
    expect(card?.text).toMatch(/Состояние: VG/);
    const [prompt] = await world.press(ADMIN, buttonData(card, /Цена/));
    expect(prompt?.text).toMatch(/Цена для №3 сейчас: 3000/);
    expect((await world.say(ADMIN, 'дорого'))[0]?.text).toMatch(/Цена: ожидается число/);
    const answers = await world.say(ADMIN, '3 500 ₽');
    expect(answers[0]?.text).toMatch(/Цена №3: 3500/);
    expect((await world.app.get('/api/records/3')).body.price).toBe(3500);
    expect((await world.say(ADMIN, '/record_3'))[0]?.text).toMatch(/Цена: 3 500 ₽/);
  });

  it('📊 shows the dashboard live from the database, 📈 sends four PNG charts in one album', async () => {
    const [stats] = await world.say(ADMIN, 'статистика');
    expect(stats?.text).toMatch(/🔴 Продано в этом месяце: [1-9]/);
    expect(stats?.text).toMatch(/За месяц: \d[\d ]* ₽/);
    const answers = await world.press(ADMIN, buttonData(stats, /Графики/));
    const album = answers.filter((m) => m.method === 'sendMediaGroup');
    expect(album.map((m) => m.caption?.split(':')[0])).toEqual(['Выручка по неделям', 'Спрос', 'Жанры', 'Воронка']);
    const { Api } = await import('node-telegram-bot-api');
    const api = new Api(world.emu.token, { apiRoot: world.emu.apiRoot });
    const file = await api.getFile({ file_id: album[0]!.photo! });
    const png = Buffer.from(await (await fetch(`${world.emu.apiRoot}/file/bot${world.emu.token}/${file.file_path}`)).arrayBuffer());
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1000);
    expect(answers.at(-1)?.text).toMatch(/Аналитика за 12 недель/);
  });

  it('⚙️ templates: an edit with an unknown placeholder or broken markup is refused with the reason; a good one is saved for the sheet; the sheet’s edit shows in the bot', async () => {
    await world.database.sql(`select templates_upsert($1::jsonb)`, [JSON.stringify([
      { type: 'special_offer', title: 'Спецпредложение', body: '**{artist}** — {title}: {discount_price}, код {discount_code}', active: true },
    ])]);
    const [list] = await world.say(ADMIN, 'настройки');
    expect(list?.text).toMatch(/🟢 special_offer — Спецпредложение/);
    const [view] = await world.press(ADMIN, buttonData(list, /Спецпредложение/));
    expect(view?.text).toMatch(/Так его увидит покупатель:\nPink Floyd — The Wall: 4 500 ₽, код PRE-12-K7F3Q9XM2A/);
    await world.press(ADMIN, buttonData(view, /Изменить текст/));
    const [refused] = await world.say(ADMIN, 'Привет, {name}! **Скидка для вас');
    expect(refused?.text).toMatch(/Не сохранил/);
    expect(refused?.text).toMatch(/Неизвестные подстановки: \{name\}/);
    expect(refused?.text).toMatch(/Непарные \*\*/);
    expect(refused?.text).toMatch(/Нет \{discount_code\}/);
    const [saved] = await world.say(ADMIN, '{artist} — {title} теперь за {discount_price}! Код: {discount_code}');
    expect(saved?.text).toMatch(/Сохранил/);
    const [row] = await world.database.sql<{ body: string }>(`select body from notification_templates where type = 'special_offer'`);
    expect(row?.body).toBe('{artist} — {title} теперь за {discount_price}! Код: {discount_code}');
    const outbox = await world.database.sql<{ payload: { values: Record<string, unknown> } }>(
      `select payload from sheet_outbox where sheet = 'Настройки_уведомлений' order by id desc limit 1`);
    expect(outbox[0]?.payload.values).toMatchObject({ type: 'special_offer', body: row?.body, active: true });
    const [off] = await world.press(ADMIN, buttonData(saved, /Выключить/));
    expect(off?.text).toMatch(/⚪️ выключен/);
    // The sheet's own edit (templates_upsert from the add-on) is what the bot shows next.
    await world.database.sql(`select templates_upsert($1::jsonb)`, [JSON.stringify([
      { type: 'special_offer', title: 'Спецпредложение', body: 'Из таблицы: {discount_code}', active: true },
    ])]);
    const [fresh] = await world.press(ADMIN, buttonData(off, /Все шаблоны/));
    const [again] = await world.press(ADMIN, buttonData(fresh, /Спецпредложение/));
    expect(again?.text).toMatch(/Из таблицы: \{discount_code\}/);
  });

  it('a button of an unknown kind answers that it is out of date', async () => {
    const last = world.emu.sent({ chatId: ADMIN }).at(-1)!;
    const id = await world.emu.user(ADMIN).sendCallbackData(last, 'a:zz:1');
    await world.settle();
    expect(world.emu.callbackAnswer(id)?.text).toMatch(/устарела/);
    expect(world.emu.unansweredCallbacks()).toEqual([]);
  });
});
