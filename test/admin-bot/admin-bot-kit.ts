import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { Sheets } from '../../shared/sheet-layout.ts';
import { startAppsScriptEmulator, type AppsScriptEmulator } from '../emulators/apps-script/apps-script-emulator.ts';
import { startTelegramEmulator, type SentMessage, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { builtAddon, catalogHeader, sheetSecret } from '../sheet/support/sheet-world.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

export const ADMIN = 900;

/** The admin bot's world: the Telegram emulator, an embedded database, the real server on them. */
export async function startAdminBotWorld(env: Record<string, string> = {}) {
  const emu: TelegramEmulator = await startTelegramEmulator({ limits: false });
  const database: TestDatabase = await pgliteDatabase();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'admin-bot-'));
  const appEnv = {
    TELEGRAM_BOT_TOKEN: emu.token,
    ADMIN_TELEGRAM_ID: String(ADMIN),
    TELEGRAM_API_ROOT: emu.apiRoot,
    DATA_DIR: dataDir,
    PUBLIC_API_URL: 'http://photos.test',
    AI_CONCURRENCY: '0',
    ...env,
  };
  let app = await startTestApp(database.db, appEnv);

  /** Waits until the bot has taken every queued update and sent nothing for a moment. */
  const settle = async (timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    let count = -1;
    let quietSince = Date.now();
    for (;;) {
      const now = emu.sent().length;
      if (now !== count || emu.pendingUpdates() > 0 || emu.unansweredCallbacks().length > 0) {
        count = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince > 250) return;
      if (Date.now() > deadline) throw new Error(`the bot did not settle: ${emu.pendingUpdates()} updates pending`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  /** Does something as a user and returns what the bot sent to that chat in answer. */
  const exchange = async (userId: number, act: () => Promise<unknown>): Promise<SentMessage[]> => {
    const before = emu.sent({ chatId: userId }).length;
    await act();
    await emu.waitForSent((m) => m.chat_id === userId && emu.sent({ chatId: userId }).indexOf(m) >= before, 15_000).catch(() => undefined);
    await settle();
    return emu.sent({ chatId: userId }).slice(before);
  };
  const say = (userId: number, text: string) => exchange(userId, () => emu.user(userId).sendText(text));
  /** Presses a button of the newest message that has it. */
  const press = async (userId: number, data: string) => {
    const message = [...emu.sent({ chatId: userId })].reverse().find((m) => JSON.stringify(m.reply_markup ?? null).includes(`"${data}"`));
    if (!message) throw new Error(`no message in chat ${userId} has a button ${data}`);
    return exchange(userId, () => emu.user(userId).pressButton(message, data));
  };

  return {
    emu,
    database,
    dataDir,
    get app() {
      return app;
    },
    say,
    press,
    exchange,
    settle,
    /** The server stops (as in a deploy) and starts again on the same database. */
    async restart() {
      await app.close();
      app = await startTestApp(database.db, appEnv);
    },
    async close() {
      await app?.close();
      await emu.close();
      await database.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
export type AdminBotWorld = Awaited<ReturnType<typeof startAdminBotWorld>>;

/** SHEET_SECRET for a world that gets a spreadsheet (connectSheet). */
export const sheetEnv = { SHEET_SECRET: sheetSecret };

/**
 * The admin's spreadsheet for this world: the built add-on in the Apps Script emulator, set up
 * and connected to the running server through the «Винил» menu, as the admin would.
 */
export async function connectSheet(world: AdminBotWorld): Promise<AppsScriptEmulator> {
  const { bundle, htmlFiles } = await builtAddon();
  const sheet = await startAppsScriptEmulator({ bundle, htmlFiles, timeZone: 'Europe/Moscow' });
  await sheet.addSheet(Sheets.Catalog, [catalogHeader]);
  await sheet.open();
  await sheet.clickMenu('Винил', 'Настроить листы');
  await sheet.answerPrompts([
    { button: 'OK', text: world.app.url },
    { button: 'OK', text: sheetSecret },
  ]);
  await sheet.clickMenu('Винил', 'Подключить к серверу');
  return sheet;
}

/** A worksheet's rows as objects by header (the header row names the keys). */
export async function sheetRows(sheet: AppsScriptEmulator, name: string): Promise<Array<Record<string, unknown>>> {
  const [header = [], ...rows] = await sheet.values(name);
  return rows.map((row) => Object.fromEntries(header.map((h, i) => [String(h), row[i]])));
}

/** Buttons of a sent message as [text, callback_data]. */
export const buttonsOf = (m: SentMessage | undefined): Array<[string, string]> =>
  ((m?.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> })?.inline_keyboard ?? [])
    .flat()
    .map((b) => [b.text, b.callback_data ?? '']);

/** The callback data of the button whose text matches. */
export function buttonData(m: SentMessage | undefined, text: RegExp): string {
  const found = buttonsOf(m).find(([label]) => text.test(label));
  if (!found) throw new Error(`no button ${text} in ${JSON.stringify(buttonsOf(m))}`);
  return found[1];
}

/** A picture made for a test: an album cover of shapes in the given hue (different hues are different pictures). */
export async function coverImage(hue: number, format: 'jpeg' | 'png' = 'jpeg', size = 800): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
    <rect width="100%" height="100%" fill="hsl(${hue},60%,50%)"/>
    <circle cx="${size * (0.3 + (hue % 40) / 100)}" cy="${size / 2}" r="${size / 4}" fill="hsl(${(hue + 180) % 360},70%,30%)"/>
    <rect x="${size * 0.6}" y="${size * ((hue % 50) / 100)}" width="${size / 5}" height="${size / 2}" fill="#fff"/>
  </svg>`;
  const image = sharp(Buffer.from(svg));
  return format === 'png' ? image.png().toBuffer() : image.jpeg({ quality: 90 }).toBuffer();
}
