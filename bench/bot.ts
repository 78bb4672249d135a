// Admin bot benchmark: 200 add-record wizards (9 updates each: /add, title, artist, genre button,
// year, condition button, price, skip the photo, save) through the Telegram emulator, on an
// embedded database. Measured per update: the server's own handling time, i.e. the time in
// bot.handleUpdate minus the time its Bot API calls spent waiting for the emulator. Then the
// intake of one 10 MB photo (decode, hash, cover and thumbnail, stored under DATA_DIR).
// Last stdout line: one JSON object.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { parseConfig } from '../server/config.ts';
import { createServer } from '../server/create-server.ts';
import { createDatabase } from '../server/db/database.ts';
import { migratePglite } from '../server/db/open-database.ts';
import { createPgliteTransport, openPglite } from '../server/db/pglite-transport.ts';
import { createLogger } from '../server/logger.ts';
import { startTelegramEmulator, type SentMessage } from '../test/emulators/telegram/index.ts';
import { progress } from './support/http-load.ts';

const WIZARDS = Number(process.env.BENCH_WIZARDS ?? 200);
const ADMIN = 900;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (ms: number) => Math.round(ms * 10) / 10;

const emu = await startTelegramEmulator({ limits: false });
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-bot-'));
const pg = await openPglite();
await migratePglite(pg);
const db = createDatabase(createPgliteTransport(pg));
const config = parseConfig({
  LOG_LEVEL: 'silent',
  DATA_DIR: dataDir,
  TELEGRAM_BOT_TOKEN: emu.token,
  ADMIN_TELEGRAM_ID: String(ADMIN),
  TELEGRAM_API_ROOT: emu.apiRoot,
  // The AI queue would compete for the same database: its jobs wait.
  AI_CONCURRENCY: '0',
});

// Time spent waiting for the emulator: every Bot API call goes through the global fetch.
let emulatorMs = 0;
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const started = performance.now();
  try {
    return await realFetch(input, init);
  } finally {
    if (String(input instanceof Request ? input.url : input).startsWith(emu.apiRoot)) emulatorMs += performance.now() - started;
  }
};

const vinyl = createServer({ config, db, logger: createLogger('silent') });
const bot = vinyl.telegram!.bot;
const handlingMs: number[] = [];
const handleUpdate = bot.handleUpdate.bind(bot);
bot.handleUpdate = async (update) => {
  const emulatorBefore = emulatorMs;
  const started = performance.now();
  await handleUpdate(update);
  handlingMs.push(performance.now() - started - (emulatorMs - emulatorBefore));
};
await vinyl.start();

const admin = emu.user(ADMIN);
const chat = () => emu.sent({ chatId: ADMIN });
/** One update, and the bot's answer to it. */
async function step(act: () => Promise<unknown>): Promise<SentMessage> {
  const before = chat().length;
  await act();
  return emu.waitForSent((m) => m.chat_id === ADMIN && chat().indexOf(m) >= before, 10_000);
}
const data = (m: SentMessage, label: RegExp) => {
  const rows = (m.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data?: string }>> }).inline_keyboard;
  const found = rows.flat().find((b) => label.test(b.text));
  if (!found?.callback_data) throw new Error(`no button ${label}`);
  return found.callback_data;
};
const press = (m: SentMessage, label: RegExp) => step(() => admin.pressButton(m, data(m, label)));

progress(`${WIZARDS} wizards`);
const wizardsStarted = performance.now();
for (let i = 0; i < WIZARDS; i++) {
  await step(() => admin.sendText('/add'));
  await step(() => admin.sendText(`Album ${i}`));
  const genre = await step(() => admin.sendText(`Artist ${i % 37}`));
  const year = await press(genre, /^Rock$/);
  void year;
  const condition = await step(() => admin.sendText(String(1960 + (i % 60))));
  await press(condition, /^VG\+$/);
  const photo = await step(() => admin.sendText(String(1000 + i * 10)));
  const summary = await press(photo, /Пропустить/);
  await press(summary, /Сохранить/);
  // The callback answer of the last press is sent after its message: let it land.
  while (emu.unansweredCallbacks().length > 0) await new Promise((r) => setTimeout(r, 5));
  if ((i + 1) % 50 === 0) progress(`${i + 1} wizards, ${handlingMs.length} updates`);
}
const wizardSeconds = (performance.now() - wizardsStarted) / 1000;
const records = (await pg.query<{ n: number }>(`select count(*)::int as n from records where title like 'Album %'`)).rows[0]!.n;
if (records !== WIZARDS) throw new Error(`expected ${WIZARDS} records, found ${records}`);

// A 10 MB photo: camera-like noise compresses badly, so a large JPEG of it is near the limit.
progress('10 MB photo');
let photo = Buffer.alloc(0);
for (let side = 4500; side > 1000; side -= 50) {
  const noise = Buffer.alloc(side * side * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = (Math.random() * 64 + ((i / 3) % side) / side * 190) | 0;
  photo = await sharp(noise, { raw: { width: side, height: side, channels: 3 } }).jpeg({ quality: 92 }).toBuffer();
  if (photo.length <= 10 * 1024 * 1024) break;
}
const intake = vinyl.adminPanel!.photoIntake;
await intake.store(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#888' } }).jpeg().toBuffer()); // warm up sharp
const photoStarted = performance.now();
const stored = await intake.store(photo);
const photoMs = performance.now() - photoStarted;
if (!stored.ok) throw new Error(`photo refused: ${stored.reason}`);
progress(`photo of ${(photo.length / 1024 / 1024).toFixed(1)} MB taken in ${Math.round(photoMs)} ms`);

await vinyl.stop();
await emu.close();
await pg.close();
await rm(dataDir, { recursive: true, force: true });

const sorted = [...handlingMs].sort((a, b) => a - b);
progress(`${handlingMs.length} updates in ${wizardSeconds.toFixed(1)} s`);
console.log(
  JSON.stringify({
    bench: 'bot',
    wizards: WIZARDS,
    update_p50_ms: round(percentile(sorted, 50)),
    update_p95_ms: round(percentile(sorted, 95)),
    photo_10mb_ms: Math.round(photoMs),
    updates: handlingMs.length,
    photo_bytes: photo.length,
  }),
);
