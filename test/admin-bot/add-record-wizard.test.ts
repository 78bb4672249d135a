import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { statusLabels } from '../../shared/record-status.ts';
import { Sheets, catalogColumns } from '../../shared/sheet-layout.ts';
import type { AppsScriptEmulator } from '../emulators/apps-script/apps-script-emulator.ts';
import type { SentMessage } from '../emulators/telegram/index.ts';
import { ADMIN, buttonData, buttonsOf, connectSheet, coverImage, sheetEnv, sheetRows, startAdminBotWorld, type AdminBotWorld } from './admin-bot-kit.ts';

let world: AdminBotWorld;

let sheet: AppsScriptEmulator;

beforeAll(async () => {
  world = await startAdminBotWorld({ AI_CONCURRENCY: '1', ...sheetEnv });
  await createCatalogRepository(world.database.db).importRecords([
    { title: 'Nevermind', artist: 'Nirvana', status: 'available', genre: 'Grunge', condition: 'VG', price: 3000 },
  ]);
  sheet = await connectSheet(world);
}, 120_000);
afterAll(async () => {
  await sheet?.close();
  await world?.close();
});


describe('the add-record wizard', () => {
  it('seven steps with progress, the sheet’s rules, skip, back and an edit from the summary; the row reaches the admin’s sheet, the photo the store, the AI’s text the admin and the sheet', async () => {
    let [step] = await world.say(ADMIN, 'добавить пластинку');
    expect(step?.text).toMatch(/^Шаг 1\/7 \[░░░░░░░░░░\] 0%/);
    expect(step?.text).toMatch(/Например: Abbey Road/);

    [step] = await world.say(ADMIN, 'Rumours');
    expect(step?.text).toMatch(/^Шаг 2\/7 \[█░░░░░░░░░\] 10%\n✅ Название: Rumours/);
    [step] = await world.say(ADMIN, 'Fleetwood Mac');
    expect(step?.text).toMatch(/^Шаг 3\/7 \[███░░░░░░░\] 30%/);
    // The catalog's genres first, then common ones.
    expect(buttonsOf(step).map(([t]) => t).slice(0, 2)).toEqual(['Grunge', 'Rock']);

    // Back to the artist and forward again.
    [step] = await world.press(ADMIN, buttonData(step, /Назад/));
    expect(step?.text).toMatch(/^Шаг 2\/7/);
    [step] = await world.say(ADMIN, 'Fleetwood  Mac');
    [step] = await world.press(ADMIN, buttonData(step, /^Rock$/));
    expect(step?.text).toMatch(/^Шаг 4\/7[\s\S]*✅ Жанр: Rock/);

    // A year the sheet would refuse is refused with its reason, and asked again.
    const [refused, again] = await world.say(ADMIN, '1850');
    expect(refused?.text).toMatch(/Год: от 1900 до \d{4}/);
    expect(again?.text).toMatch(/^Шаг 4\/7/);
    [step] = await world.press(ADMIN, buttonData(again, /Пропустить/));
    expect(step?.text).toMatch(/^Шаг 5\/7/);
    [step] = await world.press(ADMIN, buttonData(step, /^Near Mint$/));
    expect(step?.text).toMatch(/^Шаг 6\/7/);
    expect((await world.say(ADMIN, 'пять тысяч'))[0]?.text).toMatch(/Цена: ожидается число/);
    [step] = await world.say(ADMIN, '4 500 ₽');
    expect(step?.text).toMatch(/^Шаг 7\/7 \[█████████░\] 90%[\s\S]*✅ Цена: 4 500 ₽/);

    // A PNG sent as a file with a name and type that lie: the content decides.
    const png = await coverImage(30, 'png');
    let [summary] = await world.exchange(ADMIN, () => world.emu.user(ADMIN).sendDocument(png, { file_name: 'notes.txt', mime_type: 'text/plain' }));
    expect(summary?.text).toMatch(/^Проверка \[██████████\] 100%/);
    expect(summary?.text).toMatch(/Фото: 1 шт\./);
    expect(summary?.text).not.toMatch(/⚠️/);

    // Edit the year from the summary: back to the summary after it.
    [step] = await world.press(ADMIN, buttonData(summary, /Год/));
    [summary] = await world.say(ADMIN, '1977');
    expect(summary?.text).toMatch(/Год: 1977/);

    const [saved] = await world.press(ADMIN, buttonData(summary, /Сохранить/));
    const number = Number(/№(\d+)/.exec(saved?.text ?? '')?.[1]);
    expect(saved?.text).toMatch(/сохранена: Fleetwood Mac — Rumours/);
    expect(saved?.text).toMatch(/Страница: http:\/\/localhost:8000\/records\//);
    expect(buttonsOf(saved)).toHaveLength(6); // back to the menu

    const record = (await world.app.get(`/api/records/${number}`)).body;
    expect(record).toMatchObject({ title: 'Rumours', artist: 'Fleetwood Mac', genre: 'Rock', year: 1977, condition: 'Near Mint', price: 4500, status: 'available' });
    expect(record.image_url).toMatch(/^http:\/\/photos\.test\/media\/[0-9a-f]{32}\/cover\.jpg$/);
    // The photo and its variants are served at their stable URLs, as JPEG whatever came in.
    const cover = await fetch(world.app.url + new URL(record.image_url).pathname);
    expect(cover.status).toBe(200);
    expect(cover.headers.get('content-type')).toBe('image/jpeg');
    const photos = await world.database.sql<{ original_url: string; thumb_url: string }>('select original_url, thumb_url from record_photos');
    expect(photos).toHaveLength(1);
    expect(photos[0]!.original_url).toMatch(/original\.png$/);
    expect((await fetch(world.app.url + new URL(photos[0]!.thumb_url).pathname)).status).toBe(200);
    // The audit trail names the bot (not the admin API) as the record's maker.
    expect(await world.database.sql(`select actor, via from record_changes where record_id = $1 and field = '(created)'`, [record.id]))
      .toEqual([{ actor: 'bot', via: 'bot_create_record' }]);
    // The admin's spreadsheet gets the row with the add-on's next pull, ФОТО_URL included.
    await sheet.runFunction('handleTick');
    const rowOf = async () => (await sheetRows(sheet, Sheets.Catalog)).find((r) => r[catalogColumns.id] === record.id);
    expect(await rowOf()).toMatchObject({
      [catalogColumns.title]: 'Rumours',
      [catalogColumns.artist]: 'Fleetwood Mac',
      [catalogColumns.genre]: 'Rock',
      [catalogColumns.year]: 1977,
      [catalogColumns.condition]: 'Near Mint',
      [catalogColumns.price]: 4500,
      [catalogColumns.photo_url]: record.image_url,
      [catalogColumns.status]: statusLabels.available,
    });
    // The AI's second message once the enrichment is done, and its text in the sheet's row too.
    const notice = await world.emu.waitForSent((m) => m.chat_id === ADMIN && /ИИ закончил пластинку №/.test(m.text ?? ''), 30_000);
    expect(notice.text).toContain(`№${number}`);
    const enriched = (await world.app.get(`/api/records/${number}`)).body;
    expect(enriched.description).toBeTruthy();
    expect(notice.text).toContain(enriched.description.slice(0, 40));
    await sheet.runFunction('handleTick');
    expect(await rowOf()).toMatchObject({ [catalogColumns.description]: enriched.description, [catalogColumns.seo_title]: enriched.seo_title });
    expect(await world.database.sql('select * from admin_conversations')).toEqual([]);
  });

  it('survives a restart in the middle, and a copy of a known photo is shown with its record', async () => {
    await world.say(ADMIN, '/add');
    await world.say(ADMIN, 'Rumours');
    const [genre] = await world.say(ADMIN, 'Fleetwood Mac');
    await world.restart();

    // The old message's button still works after the restart.
    let [step] = await world.press(ADMIN, buttonData(genre, /^Rock$/));
    expect(step?.text).toMatch(/^Шаг 4\/7/);
    [step] = await world.say(ADMIN, '1977');
    [step] = await world.press(ADMIN, buttonData(step, /^VG\+$/));
    [step] = await world.say(ADMIN, '3900');
    // The same picture, re-encoded as JPEG: the duplicate check finds the first record.
    const jpeg = await coverImage(30, 'jpeg');
    const [summary] = await world.exchange(ADMIN, () => world.emu.user(ADMIN).sendPhoto(jpeg));
    expect(summary?.text).toMatch(/⚠️ Фото 1 похоже на фото пластинки №2 Fleetwood Mac — Rumours/);
    const [kept] = await world.press(ADMIN, buttonData(summary, /другой экземпляр/));
    expect(kept?.text).not.toMatch(/⚠️/);
    const [saved] = await world.press(ADMIN, buttonData(kept, /Сохранить/));
    expect(saved?.text).toMatch(/№3.*сохранена/);
    // The summary's buttons are out of date now.
    const id = await world.emu.user(ADMIN).pressButton(kept!, buttonData(kept, /Сохранить/));
    await world.settle();
    expect(world.emu.callbackAnswer(id)?.text).toMatch(/устарело/);
    expect((await world.database.sql('select count(*)::int as n from records where title = $1', ['Rumours']))[0]).toEqual({ n: 2 });
  });

  it('refuses a file over 10 MB and a file that is not a picture, and an album’s photos edit one summary', async () => {
    // The steps' own messages (the AI's notice about №3 may arrive in between).
    const step = (answers: SentMessage[]) => answers.find((m) => /^Шаг \d\/7/.test(m.text ?? ''));
    await world.say(ADMIN, '/add');
    await world.say(ADMIN, 'Kid A');
    const genre = step(await world.say(ADMIN, 'Radiohead'));
    await world.press(ADMIN, buttonData(genre, /^Rock$/));
    const condition = step(await world.say(ADMIN, '2000'));
    await world.press(ADMIN, buttonData(condition, /^Mint$/));
    await world.say(ADMIN, '5200');
    const big = Buffer.concat([await coverImage(200), randomBytes(10 * 1024 * 1024)]);
    expect((await world.exchange(ADMIN, () => world.emu.user(ADMIN).sendDocument(big, { file_name: 'big.jpg', mime_type: 'image/jpeg' })))[0]?.text).toMatch(/больше 10 МБ/);
    expect((await world.exchange(ADMIN, () => world.emu.user(ADMIN).sendDocument(Buffer.from('%PDF-1.4 not a picture'), { file_name: 'cover.jpg', mime_type: 'image/jpeg' })))[0]?.text).toMatch(/не похоже на изображение/);

    const answers = await world.exchange(ADMIN, async () => {
      await world.emu.user(ADMIN).sendPhoto(await coverImage(120), { media_group_id: 'album-2' });
      await world.emu.user(ADMIN).sendPhoto(await coverImage(250), { media_group_id: 'album-2' });
      await world.emu.user(ADMIN).sendPhoto(await coverImage(330), { media_group_id: 'album-2' });
    });
    expect(answers.filter((m) => m.method === 'sendMessage')).toHaveLength(1);
    expect(answers.at(-1)?.text).toMatch(/Фото получено \(3\)/);
    expect(answers.at(-1)?.text).toMatch(/Фото: 3 шт\./);
    await world.press(ADMIN, buttonData(answers.at(-1), /Отмена/));
    expect(await world.database.sql('select * from admin_conversations')).toEqual([]);
  });
});
