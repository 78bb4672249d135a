// Drives the emulator with the real node-telegram-bot-api 2.x client over HTTP.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Api, Bot, InputFile, TelegramApiError, type Update } from 'node-telegram-bot-api';
import { createWebhookServer } from 'node-telegram-bot-api/node';
import { parseHtml, startTelegramEmulator, type EmulatorOptions, type TelegramEmulator } from './index.ts';

// A valid 1x1 PNG: sendPhoto uploads must be real images, as on Telegram.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function emulator(opts: EmulatorOptions = { limits: false }): Promise<TelegramEmulator> {
  const emu = await startTelegramEmulator(opts);
  cleanups.push(() => emu.close());
  return emu;
}

/** Starts long polling; the cleanup stops it and waits for the loop to exit. */
function startBot(emu: TelegramEmulator, setup: (bot: Bot) => void, timeout = 30): Bot {
  const bot = new Bot(emu.token, { apiRoot: emu.apiRoot });
  setup(bot);
  const running = bot.startPolling(undefined, { timeout });
  cleanups.push(async () => {
    bot.stop();
    await running;
  });
  return bot;
}

/** Drops the emulator's keep-alive sockets too, so closing does not wait for them to time out. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function apiError(p: Promise<unknown>): Promise<TelegramApiError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TelegramApiError);
  return err as TelegramApiError;
}

describe('telegram emulator with node-telegram-bot-api 2.x', () => {
  it('delivers /start with its payload to a polling bot and records the reply', async () => {
    const emu = await emulator();
    startBot(emu, (bot) => bot.command('start', (ctx) => ctx.reply(`<b>want:</b> ${ctx.match}`, { parse_mode: 'HTML' })));
    const user = emu.user(42, { first_name: 'Ann' });
    await user.sendText('/start want_x');
    const reply = await emu.waitForSent((m) => m.chat_id === 42);
    expect(reply).toMatchObject({ method: 'sendMessage', message_id: 2, text: 'want: want_x', raw_text: '<b>want:</b> want_x', parse_mode: 'HTML' });
    expect(reply.entities).toEqual([{ type: 'bold', offset: 0, length: 5 }]);
    expect(user.lastMessage()?.text).toBe('want: want_x');
  });

  it('holds getUpdates open for the timeout instead of answering at once (no busy polling)', async () => {
    const emu = await emulator();
    startBot(emu, () => {}, 1);
    await new Promise((r) => setTimeout(r, 2100));
    expect(emu.calls('getUpdates')).toBeGreaterThanOrEqual(2);
    expect(emu.calls('getUpdates')).toBeLessThanOrEqual(4);
  });

  it('never delivers a confirmed update again, across bot restarts', async () => {
    const emu = await emulator();
    const user = emu.user(7);
    const seen: string[][] = [[], []];
    for (const [round, text] of ['first', 'second'].entries()) {
      const bot = new Bot(emu.token, { apiRoot: emu.apiRoot });
      bot.on('message', (ctx) => void seen[round]?.push(ctx.message?.text ?? ''));
      const running = bot.startPolling();
      await user.sendText(text);
      // The offset is confirmed by the bot's next getUpdates call.
      await vi.waitFor(() => expect(emu.pendingUpdates()).toBe(0));
      bot.stop();
      await running;
    }
    expect(seen).toEqual([['first'], ['second']]);
  });

  it('implements offset, negative offset and limit of getUpdates', async () => {
    const emu = await emulator();
    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    const user = emu.user(5);
    for (const t of ['a', 'b', 'c']) await user.sendText(t);
    const all = await api.getUpdates({ limit: 2 });
    expect(all.map((u) => ('message' in u ? u.message.text : ''))).toEqual(['a', 'b']);
    const last = await api.getUpdates({ offset: -1 });
    expect(last).toHaveLength(1);
    expect(await api.getUpdates({ offset: (last[0] as Update).update_id + 1 })).toEqual([]);
    expect(emu.pendingUpdates()).toBe(0);
  });

  it('terminates the older of two concurrent getUpdates with 409, and close() releases a pending poll', async () => {
    const emu = await emulator();
    const api = new Api(emu.token, { apiRoot: emu.apiRoot, maxRetries: 0 });
    const first = api.getUpdates({ timeout: 10 });
    await new Promise((r) => setTimeout(r, 50));
    const second = api.getUpdates({ timeout: 10 });
    const err = await apiError(first);
    expect(err.errorCode).toBe(409);
    expect(err.description).toMatch(/^Conflict: terminated by other getUpdates request/);
    const started = Date.now();
    await emu.close();
    expect(await second).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('answers 403 to a user who never started the bot or blocked it, 400 to an unknown chat', async () => {
    const emu = await emulator();
    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    const user = emu.user(100);
    let err = await apiError(api.sendMessage({ chat_id: 100, text: 'hi' }));
    expect([err.errorCode, err.description]).toEqual([403, "Forbidden: bot can't initiate conversation with a user"]);
    await user.sendText('hello');
    await api.sendMessage({ chat_id: 100, text: 'hi' });
    emu.blockBot(100);
    err = await apiError(api.sendMessage({ chat_id: 100, text: 'still there?' }));
    expect([err.errorCode, err.description]).toEqual([403, 'Forbidden: bot was blocked by the user']);
    const updates = await api.getUpdates();
    expect(updates.at(-1)).toMatchObject({ my_chat_member: { new_chat_member: { status: 'kicked' } } });
    err = await apiError(api.sendMessage({ chat_id: 999, text: 'hi' }));
    expect([err.errorCode, err.description]).toEqual([400, 'Bad Request: chat not found']);
  });

  it('injected 429 is retried by the client after retry_after; flood limits answer 429 too', async () => {
    let clock = 0;
    const emu = await emulator({ now: () => clock });
    const user = emu.user(1);
    await user.sendText('/start');
    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    emu.injectFaults({ method: 'sendMessage', status: 429, retryAfter: 1, times: 1 });
    const t0 = Date.now();
    await api.sendMessage({ chat_id: 1, text: 'after a flood wait' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(emu.calls('sendMessage')).toBe(2);

    // Per-chat limit: 1 message/second with ~50 ms tolerance, on the injected clock.
    const impatient = new Api(emu.token, { apiRoot: emu.apiRoot, maxRetries: 0 });
    const err = await apiError(impatient.sendMessage({ chat_id: 1, text: 'too soon' }));
    expect([err.errorCode, err.description, err.retryAfter]).toEqual([429, 'Too Many Requests: retry after 1', 1]);
    clock += 960;
    await impatient.sendMessage({ chat_id: 1, text: 'paced' });
  });

  it('validates parse_mode HTML like Telegram', async () => {
    const emu = await emulator();
    await emu.user(3).sendText('hi');
    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    const err = await apiError(api.sendMessage({ chat_id: 3, text: '<b>Price</b> < 20 EUR', parse_mode: 'HTML' }));
    expect([err.errorCode, err.description]).toEqual([400, `Bad Request: can't parse entities: Unsupported start tag "" at byte offset 13`]);
    expect(() => parseHtml('<b>x')).toThrow(`Can't find end tag corresponding to start tag "b"`);
    expect(() => parseHtml('<i>x</b>')).toThrow('Unmatched end tag at byte offset 4, expected "</i>", found "</b>"');
    expect(() => parseHtml('a<br>b')).toThrow('Unsupported start tag "br" at byte offset 1');
    expect(() => parseHtml('a&nbsp;b')).toThrow('Unsupported HTML entity');
    expect(parseHtml('<a href="https://x.test/?a=1&amp;b=2">Tom &amp; &quot;Jerry&quot; &#x1F3B5;</a>')).toEqual({
      text: 'Tom & "Jerry" 🎵',
      entities: [{ type: 'text_link', offset: 0, length: 16, url: 'https://x.test/?a=1&b=2' }],
    });
    expect((await apiError(api.sendMessage({ chat_id: 3, text: '  ' }))).description).toBe('Bad Request: message text is empty');
    expect((await apiError(api.sendMessage({ chat_id: 3, text: 'x'.repeat(4097) }))).description).toBe('Bad Request: message is too long');
  });

  it('uploads a photo, serves it back through getFile, and accepts file_id and URL', async () => {
    const emu = await emulator();
    await emu.user(8).sendText('/start');
    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    const sent = await api.sendPhoto({ chat_id: 8, photo: new InputFile(PNG, { filename: 'cover.png' }), caption: '<i>Blue Train</i>', parse_mode: 'HTML' });
    const fileId = sent.photo?.at(-1)?.file_id ?? '';
    expect(sent.photo?.at(-1)).toMatchObject({ width: 1, height: 1, file_size: PNG.length });
    expect(sent.caption).toBe('Blue Train');
    const file = await api.getFile({ file_id: fileId });
    const download = await fetch(`${emu.apiRoot}/file/bot${emu.token}/${file.file_path}`);
    expect(Buffer.from(await download.arrayBuffer()).equals(PNG)).toBe(true);
    await api.sendPhoto({ chat_id: 8, photo: fileId });
    await api.sendPhoto({ chat_id: 8, photo: 'https://covers.example/blue-train.jpg' });
    expect(emu.sent({ method: 'sendPhoto' })).toHaveLength(3);
    const bad = await apiError(api.sendPhoto({ chat_id: 8, photo: new InputFile(Buffer.from('not an image'), { filename: 'x.jpg' }) }));
    expect(bad.description).toBe('Bad Request: IMAGE_PROCESS_FAILED');
  });

  it('lets a user send a photo the bot can download', async () => {
    const emu = await emulator();
    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    const fileId = await emu.user(9).sendPhoto(PNG, { caption: 'my copy' });
    const [update] = await api.getUpdates();
    expect(update).toMatchObject({ message: { caption: 'my copy', photo: [{ file_id: fileId }] } });
    const file = await api.getFile({ file_id: fileId });
    const bytes = Buffer.from(await (await fetch(`${emu.apiRoot}/file/bot${emu.token}/${file.file_path}`)).arrayBuffer());
    expect(bytes.equals(PNG)).toBe(true);
  });

  it('sends an album in one request (2-10 photos, one media_group_id) and replaces a photo with editMessageMedia', async () => {
    const emu = await emulator();
    await emu.user(8).sendText('/start');
    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    const album = await api.sendMediaGroup({
      chat_id: 8,
      media: [
        { type: 'photo', media: new InputFile(PNG, { filename: 'a.png' }), caption: '<b>Первое</b>', parse_mode: 'HTML' },
        { type: 'photo', media: new InputFile(PNG, { filename: 'b.png' }) },
      ],
    });
    expect(album).toHaveLength(2);
    expect(album[0]!.media_group_id).toBeDefined();
    expect(album[1]!.media_group_id).toBe(album[0]!.media_group_id);
    expect(emu.sent({ method: 'sendMediaGroup' }).map((m) => m.caption)).toEqual(['Первое', undefined]);
    const one = await apiError(api.sendMediaGroup({ chat_id: 8, media: [{ type: 'photo', media: new InputFile(PNG, { filename: 'a.png' }) }] }));
    expect(one.description).toMatch(/2-10 items/);

    const photo = await api.sendPhoto({ chat_id: 8, photo: new InputFile(PNG, { filename: 'c.png' }), caption: 'old' });
    const before = photo.photo!.at(-1)!.file_unique_id;
    const edited = await api.editMessageMedia({ chat_id: 8, message_id: photo.message_id, media: { type: 'photo', media: new InputFile(PNG, { filename: 'd.png' }), caption: 'new' } });
    expect(edited).toMatchObject({ caption: 'new' });
    expect((edited as { photo: Array<{ file_unique_id: string }> }).photo.at(-1)!.file_unique_id).not.toBe(before);
    const text = await api.sendMessage({ chat_id: 8, text: 'just text' });
    expect((await apiError(api.editMessageMedia({ chat_id: 8, message_id: text.message_id, media: { type: 'photo', media: 'https://x.example/a.jpg' } }))).description).toMatch(/no media/);
  });

  it('runs an inline-keyboard round trip and tracks callback answers', async () => {
    const emu = await emulator();
    startBot(emu, (bot) => {
      bot.command('start', (ctx) => ctx.reply('Pick', { reply_markup: { inline_keyboard: [[{ text: 'Buy', callback_data: 'buy:1' }]] } }));
      bot.on('callback_query', async (ctx) => {
        await ctx.answerCallbackQuery({ text: 'ok' });
        const msg = ctx.callbackQuery?.message;
        if (msg) await ctx.api.editMessageText({ chat_id: msg.chat.id, message_id: msg.message_id, text: 'Reserved' });
      });
    });
    const user = emu.user(11);
    await user.sendText('/start');
    const menu = await emu.waitForSent((m) => m.text === 'Pick');
    await expect(user.pressButton(menu, 'sell:1')).rejects.toThrow(/no inline button/);
    const queryId = await user.pressButton(menu, 'buy:1');
    await emu.waitForSent((m) => m.method === 'editMessageText');
    expect(emu.callbackAnswer(queryId)).toEqual({ text: 'ok' });
    expect(emu.unansweredCallbacks()).toEqual([]);
    expect(user.lastMessage()).toMatchObject({ text: 'Reserved', message_id: menu.message_id });
    expect(user.lastMessage()?.reply_markup).toBeUndefined();

    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    const tooLong = { inline_keyboard: [[{ text: 'x', callback_data: 'x'.repeat(65) }]] };
    expect((await apiError(api.sendMessage({ chat_id: 11, text: 'x', reply_markup: tooLong }))).description).toBe('Bad Request: BUTTON_DATA_INVALID');
    const same = await apiError(api.editMessageText({ chat_id: 11, message_id: menu.message_id, text: 'Reserved' }));
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
  });

  it('stores setMyCommands and rejects invalid commands', async () => {
    const emu = await emulator();
    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    const commands = [{ command: 'start', description: 'Start' }, { command: 'catalog', description: 'Browse records' }];
    await api.setMyCommands({ commands });
    expect(emu.commands()).toEqual(commands);
    expect(await api.getMyCommands()).toEqual(commands);
    expect((await apiError(api.setMyCommands({ commands: [{ command: 'Bad Cmd', description: 'x' }] }))).description).toBe('Bad Request: BOT_COMMAND_INVALID');
  });

  it('answers 401 for a wrong token and 404 for an unknown method', async () => {
    const emu = await emulator();
    const wrong = await fetch(`${emu.apiRoot}/bot1:nope/getMe`);
    expect([wrong.status, await wrong.json()]).toEqual([401, { ok: false, error_code: 401, description: 'Unauthorized' }]);
    const unknown = await fetch(`${emu.apiRoot}/bot${emu.token}/sendTelepathy`, { method: 'POST' });
    expect([unknown.status, await unknown.json()]).toEqual([404, { ok: false, error_code: 404, description: 'Not Found' }]);
    const me = await fetch(`${emu.apiRoot}/bot${emu.token}/GETME`);
    expect(await me.json()).toMatchObject({ ok: true, result: { is_bot: true, username: emu.botUsername } });

    // application/json bodies carry structured fields inline.
    await emu.user(12).sendText('hi');
    const body = { chat_id: 12, text: 'json', reply_markup: { inline_keyboard: [[{ text: 'A', url: 'https://example.com' }]] } };
    const res = await fetch(`${emu.apiRoot}/bot${emu.token}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(await res.json()).toMatchObject({ ok: true, result: { message_id: 2, text: 'json', reply_markup: body.reply_markup, from: { is_bot: true } } });
    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    expect(await api.deleteMessage({ chat_id: 12, message_id: 2 })).toBe(true);
    expect((await apiError(api.deleteMessage({ chat_id: 12, message_id: 2 }))).description).toBe('Bad Request: message to delete not found');
  });

  it('delivers updates to a webhook with the secret header, retrying failures', async () => {
    const emu = await emulator({ limits: false, webhookRetry: { delayMs: 20 } });
    // A raw receiver that fails the first delivery.
    const received: Array<{ headers: IncomingHttpHeaders; update: Update }> = [];
    const raw = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, update: JSON.parse(body) as Update });
        res.writeHead(received.length === 1 ? 500 : 200).end();
      });
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    cleanups.push(() => closeServer(raw));
    const api = new Api(emu.token, { apiRoot: emu.apiRoot });
    await api.setWebhook({ url: `http://127.0.0.1:${(raw.address() as AddressInfo).port}/hook`, secret_token: 's3cret' });
    expect(emu.webhook()).toMatchObject({ secret_token: 's3cret' });
    expect((await apiError(api.getUpdates())).errorCode).toBe(409);
    await emu.user(21).sendText('via webhook');
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received[0]?.headers['x-telegram-bot-api-secret-token']).toBe('s3cret');
    expect(received[1]?.update.update_id).toBe(received[0]?.update.update_id);
    expect(await api.getWebhookInfo()).toMatchObject({ pending_update_count: 0, last_error_message: 'Wrong response from the webhook: 500 Internal Server Error' });

    // The library's own webhook server, end to end.
    const bot = new Bot(emu.token, { apiRoot: emu.apiRoot });
    bot.on('message', (ctx) => ctx.reply(`echo: ${ctx.message?.text}`));
    const server = createWebhookServer(bot, { path: '/tg', secretToken: 'other_secret' });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => closeServer(server));
    await api.setWebhook({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tg`, secret_token: 'other_secret' });
    await emu.user(21).sendText('ping');
    expect((await emu.waitForSent((m) => m.chat_id === 21)).text).toBe('echo: ping');
  });
});
