import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import type { ProcurementTask } from '../../shared/procurement-task-contract.ts';
import { Sheets, adminEventColumns } from '../../shared/sheet-layout.ts';
import type { AppsScriptEmulator } from '../emulators/apps-script/apps-script-emulator.ts';
import { ADMIN, buttonsOf, connectSheet, sheetEnv, sheetRows, startAdminBotWorld, type AdminBotWorld } from './admin-bot-kit.ts';

const token = 'admin-token-0123456789-abcdef';
const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
let world: AdminBotWorld;
let sheet: AppsScriptEmulator;

beforeAll(async () => {
  world = await startAdminBotWorld({ ...sheetEnv, ADMIN_API_TOKEN: token });
  await createCatalogRepository(world.database.db).importRecords([
    // Procurement tasks set by hand (no customer reached a threshold): each still counts as a new task.
    { title: 'Kind of Blue', artist: 'Miles Davis', status: 'procurement', genre: 'Jazz', condition: 'VG+', price: 4000 },
    { title: 'Animals', artist: 'Pink Floyd', status: 'procurement', genre: 'Rock', condition: 'NM', price: 5000 },
    { title: 'Abbey Road', artist: 'The Beatles', status: 'available', genre: 'Rock', condition: 'VG+', price: 5000 },
  ]);
  sheet = await connectSheet(world);
}, 120_000);
afterAll(async () => {
  await sheet?.close();
  await world?.close();
});

const api = async (method: string, path: string, body?: unknown) => {
  const response = await fetch(world.app.url + path, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
};
const taskOf = async (number: number) => (await api('GET', `/api/admin/procurement-tasks/${number}`)).body as ProcurementTask;
/** Оповещения_админу after the add-on's time trigger has pulled the outbox. */
const eventRows = async () => {
  await sheet.runFunction('handleTick');
  return sheetRows(sheet, Sheets.AdminEvents);
};
const statusCell = (rows: Array<Record<string, unknown>>, taskId: string | null) => rows.find((r) => r[adminEventColumns.id] === taskId)?.[adminEventColumns.task_status];
const notificationsText = async () => (await world.say(ADMIN, '/notifications')).at(-1);

describe('procurement task states', () => {
  it('one state in the bot’s 📬, the admin API and the sheet’s Статус_задачи, whichever side changes it', async () => {
    let screen = await notificationsText();
    expect(screen?.text).toMatch(/Закупить \(2\)/);
    expect(screen?.text).toMatch(/№1 Miles Davis — Kind of Blue: ждут 0 · 🆕 новая/);
    expect(buttonsOf(screen).map(([text]) => text)).toEqual(expect.arrayContaining(['✅ Отметить найденной №1', '🛠 В работе №1', '🙈 Скрыть №1']));

    // The bot: «В работе». The same message is redrawn; the toast names the new state.
    const pressed = await world.emu.user(ADMIN).pressButton(screen!, 'a:pt:1:w');
    await world.settle();
    expect(world.emu.callbackAnswer(pressed)?.text).toBe('№1: 🛠 в работе');
    const redrawn = world.emu.sent({ chatId: ADMIN }).at(-1);
    expect(redrawn?.method).toBe('editMessageText');
    expect(redrawn?.message_id).toBe(screen?.message_id);
    expect(redrawn?.text).toMatch(/№1 Miles Davis — Kind of Blue: ждут 0 · 🛠 в работе/);
    expect(buttonsOf(redrawn).map(([text]) => text)).toContain('🆕 Снова новая №1');

    // … the admin API …
    const pending = (await api('GET', '/api/admin/procurement-tasks')).body.tasks as ProcurementTask[];
    expect(pending.map((t) => [t.number, t.state])).toEqual([[1, 'in_work'], [2, 'new']]);
    const first = await taskOf(1);
    expect(first.task_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.state_changed_at).not.toBeNull();
    expect((await api('GET', '/api/admin/notifications')).body.procurement_tasks.map((t: ProcurementTask) => [t.number, t.state])).toEqual([[1, 'in_work'], [2, 'new']]);
    // … and the sheet's row, in Russian.
    let rows = await eventRows();
    expect(statusCell(rows, first.task_id)).toBe('В работе');

    // The sheet: the admin hides №1 in Статус_задачи; the server reads it back at once.
    const rowNumber = rows.findIndex((r) => r[adminEventColumns.id] === first.task_id) + 2;
    const column = String.fromCharCode(65 + Object.keys(adminEventColumns).indexOf('task_status'));
    await sheet.edit(Sheets.AdminEvents, `${column}${rowNumber}`, 'Скрыта');
    expect((await taskOf(1)).state).toBe('dismissed');
    screen = await notificationsText();
    expect(screen?.text).toMatch(/Закупить \(1\)/);
    expect(screen?.text).not.toMatch(/Kind of Blue/);
    expect((await api('GET', '/api/admin/procurement-tasks?state=dismissed')).body.tasks.map((t: ProcurementTask) => t.number)).toEqual([1]);
    // A word the sheet does not know changes nothing and gets a note.
    await sheet.edit(Sheets.AdminEvents, `${column}${rowNumber}`, 'может быть');
    expect((await taskOf(1)).state).toBe('dismissed');
    expect((await sheet.notes(Sheets.AdminEvents))[rowNumber - 1]?.[Object.keys(adminEventColumns).indexOf('task_status')]).toMatch(/Новая, В работе, Выполнена, Скрыта/);

    // The admin API: №2 in work; the bot shows it, the sheet gets the task's row.
    const patched = await api('PATCH', '/api/admin/procurement-tasks/2', { state: 'in_work' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ number: 2, state: 'in_work', record_status: 'procurement' });
    expect((await notificationsText())?.text).toMatch(/№2 Pink Floyd — Animals: ждут 0 · 🛠 в работе/);
    rows = await eventRows();
    expect(statusCell(rows, patched.body.task_id)).toBe('В работе');

    // «Отметить найденной» puts the record on sale: its task is done everywhere.
    await world.press(ADMIN, 'a:r:2:st:av');
    expect((await world.app.get('/api/records/2')).body.status).toBe('available');
    expect((await taskOf(2)).state).toBe('done');
    expect(statusCell(await eventRows(), patched.body.task_id)).toBe('Выполнена');
    expect((await notificationsText())?.text).not.toMatch(/Закупить/);
  });

  it('refuses an unknown state naming the field, and a record that is no procurement task', async () => {
    const bad = await api('PATCH', '/api/admin/procurement-tasks/1', { state: 'maybe' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['state']);
    const badQuery = await api('GET', '/api/admin/procurement-tasks?state=new,later');
    expect(badQuery.status).toBe(400);
    expect(badQuery.body.details[0].message).toMatch(/later/);
    expect((await api('PATCH', '/api/admin/procurement-tasks/3', { state: 'done' })).status).toBe(404);
    expect((await api('GET', '/api/admin/procurement-tasks/999')).status).toBe(404);
    // An old button of a task that is no more answers so.
    const last = world.emu.sent({ chatId: ADMIN }).at(-1)!;
    const id = await world.emu.user(ADMIN).sendCallbackData(last, 'a:pt:3:x');
    await world.settle();
    expect(world.emu.callbackAnswer(id)?.text).toBe('№3 больше не задача на закупку');
  });
});
