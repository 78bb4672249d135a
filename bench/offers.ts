// Pre-order fan-out benchmark: 1,000 reachable participants, the record becomes available, offers
// go out through the Telegram emulator at its 30 msg/s cap. Three runs: clean; with 5% injected
// 429s and 2% 403s; with the server (a child process) SIGKILLed half-way and restarted.
// Last stdout line: one JSON object (see docs/demand-and-offers.md).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseConfig } from '../server/config.ts';
import { createServer } from '../server/create-server.ts';
import { createDatabase, type Database } from '../server/db/database.ts';
import { openDatabase, migratePglite } from '../server/db/open-database.ts';
import { createPgliteTransport, openPglite } from '../server/db/pglite-transport.ts';
import { createDemandRepository } from '../server/demand/demand-repository.ts';
import { createLogger } from '../server/logger.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../test/emulators/telegram/index.ts';
import { progress } from './support/http-load.ts';

const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 1000);
const CAP = 30;
const ADMIN = 900;
const FIRST_USER = 10_000;
const adminToken = 'bench-admin-token-0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RunResult {
  duplicates: number;
  lost: number;
  ratePerSecond: number;
  seconds: number;
}

/** Users must have pressed Start (a bot cannot write first); the admin too. */
async function startUsers(emu: TelegramEmulator) {
  await emu.user(ADMIN).sendText('hello');
  for (let i = 0; i < PARTICIPANTS; i++) await emu.user(FIRST_USER + i).sendText('hi');
}

/** One record waiting for a copy, with PARTICIPANTS verified Telegram participants. */
async function prepare(db: Database): Promise<string> {
  const demand = createDemandRepository(db);
  const { record_id } = await db.write<{ record_id: string }>('admin_create_record', {
    p_record: { title: 'The Dark Side of the Moon', artist: 'Pink Floyd', genre: 'Progressive Rock', condition: 'NM', price: 6000,
      status: 'procurement', preorder_min: 100_000,
      // A description keeps the AI enrichment queue out of this measurement.
      description: 'Легендарный альбом 1973 года.' },
  });
  for (let i = 0; i < PARTICIPANTS; i++) {
    const id = FIRST_USER + i;
    await demand.register(record_id, { key: `tg:${id}`, verified: true, chatId: id, contact: null, source: 'telegram' });
  }
  return record_id;
}

function count(emu: TelegramEmulator) {
  const perChat = new Map<number, number>();
  const times: number[] = [];
  for (const m of emu.sent({ method: 'sendMessage' })) {
    if (m.chat_id < FIRST_USER || !/PRE-\d+-/.test(m.text ?? '')) continue;
    perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
    times.push(m.at);
  }
  const duplicates = [...perChat.values()].reduce((sum, n) => sum + n - 1, 0);
  times.sort((a, b) => a - b);
  const seconds = times.length > 1 ? (times.at(-1)! - times[0]!) / 1000 : 0;
  return { perChat, duplicates, delivered: perChat.size, ratePerSecond: seconds > 0 ? (times.length - 1) / seconds : 0, seconds };
}

/** A participant is lost unless the offer reached them or they went to the admin's unreachable list. */
async function lostCount(emu: TelegramEmulator, unreachable: Set<number>) {
  const { perChat } = count(emu);
  let lost = 0;
  for (let i = 0; i < PARTICIPANTS; i++) if (!perChat.has(FIRST_USER + i) && !unreachable.has(FIRST_USER + i)) lost++;
  return lost;
}

async function unreachableChats(db: Database): Promise<Set<number>> {
  const notes = await db.read<{ unreachable: Array<{ chat_id: number }> }>('admin_notifications');
  return new Set(notes.unreachable.map((u) => Number(u.chat_id)));
}

async function waitUntilDone(db: Database, emu: TelegramEmulator, label: string, timeoutMs: number) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const unreachable = await unreachableChats(db);
    const { delivered } = count(emu);
    progress(`${label}: ${delivered} delivered, ${unreachable.size} unreachable`);
    if (delivered + unreachable.size >= PARTICIPANTS) return;
    await sleep(1000);
  }
  progress(`${label}: timed out`);
}

/** Runs 1 and 2: the server in this process on an in-memory database. */
async function inProcessRun(label: string, faults: boolean): Promise<RunResult> {
  const emu = await startTelegramEmulator({ limits: { globalPerSecond: CAP, perChatPerSecond: 1 } });
  const pg = await openPglite();
  await migratePglite(pg);
  const db = createDatabase(createPgliteTransport(pg));
  const config = parseConfig({
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'error', DATA_DIR: '/nonexistent', LOAD_DEMO_CATALOG: 'false', TELEGRAM_BOT_TOKEN: emu.token,
    ADMIN_TELEGRAM_ID: String(ADMIN), TELEGRAM_API_ROOT: emu.apiRoot, TELEGRAM_RATE_PER_SECOND: String(CAP), ADMIN_API_TOKEN: adminToken,
  });
  const vinyl = createServer({ config, db, logger: createLogger(config.logLevel) });
  await startUsers(emu);
  const recordId = await prepare(db);
  await vinyl.start();
  if (faults) {
    emu.injectFaults({ method: 'sendMessage', status: 403, probability: 0.02 });
    emu.injectFaults({ method: 'sendMessage', status: 429, retryAfter: 1, probability: 0.05 });
  }
  progress(`${label}: record becomes available`);
  const t0 = Date.now();
  await db.write('admin_set_status', { p_id: recordId, p_status: 'available', p_trigger_notifications: true, p_price_paid: null });
  progress(`${label}: offers created in ${Date.now() - t0} ms`);
  await waitUntilDone(db, emu, label, 300_000);
  const result = count(emu);
  const lost = await lostCount(emu, await unreachableChats(db));
  progress(`${label}: ${emu.calls('sendMessage') - emu.sent({ method: 'sendMessage' }).length} sendMessage calls refused (429/403)`);
  await vinyl.stop();
  await emu.close();
  await db.close();
  return { duplicates: result.duplicates, lost, ratePerSecond: result.ratePerSecond, seconds: result.seconds };
}

function startChild(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  return child;
}

async function waitHealthy(url: string) {
  for (let i = 0; i < 300; i++) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error('server did not start');
}

/** Run 3: the server as a child process, SIGKILLed half-way through the fan-out and restarted. */
async function killedRun(): Promise<RunResult & { killedAfter: number }> {
  const label = 'killed run';
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'vinyl-bench-offers-'));
  const emu = await startTelegramEmulator({ limits: { globalPerSecond: CAP, perChatPerSecond: 1 } });
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const url = `http://127.0.0.1:${port}`;
  const env = {
    DATA_DIR: dataDir, API_HOST: '127.0.0.1', API_PORT: String(port), LOG_LEVEL: 'error', LOAD_DEMO_CATALOG: 'false',
    TELEGRAM_BOT_TOKEN: emu.token, ADMIN_TELEGRAM_ID: String(ADMIN), TELEGRAM_API_ROOT: emu.apiRoot,
    TELEGRAM_RATE_PER_SECOND: String(CAP), ADMIN_API_TOKEN: adminToken, SUPABASE_URL: '', SUPABASE_SERVICE_ROLE_KEY: '',
  };
  // Prepare the data directory first (the server holds its lock while it runs).
  let db = await openDatabase({ kind: 'pglite', dataDir }, () => undefined);
  await startUsers(emu);
  const recordId = await prepare(db);
  await db.close();

  let child = startChild(env);
  await waitHealthy(url);
  progress(`${label}: record becomes available`);
  await fetch(`${url}/api/admin/records/${recordId}/status`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ status: 'available' }),
  });
  while (count(emu).delivered < PARTICIPANTS / 2) await sleep(20);
  child.kill('SIGKILL');
  const killedAfter = count(emu).delivered;
  progress(`${label}: SIGKILL after ${killedAfter} offers`);
  await new Promise((r) => child.once('exit', r));
  child = startChild(env);
  await waitHealthy(url);
  progress(`${label}: restarted`);
  // Progress is read from the emulator; the database belongs to the child now.
  const started = Date.now();
  while (count(emu).delivered < PARTICIPANTS && Date.now() - started < 180_000) {
    progress(`${label}: ${count(emu).delivered} delivered`);
    await sleep(1000);
  }
  await sleep(2000); // anything resent late would show up here
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  db = await openDatabase({ kind: 'pglite', dataDir }, () => undefined);
  const unreachable = await unreachableChats(db);
  await db.close();
  const result = count(emu);
  const lost = await lostCount(emu, unreachable);
  await emu.close();
  await rm(dataDir, { recursive: true, force: true });
  return { duplicates: result.duplicates, lost, ratePerSecond: result.ratePerSecond, seconds: result.seconds, killedAfter };
}

async function main() {
  const clean = await inProcessRun('clean run', false);
  progress(`clean run: ${clean.ratePerSecond.toFixed(2)} msg/s over ${clean.seconds.toFixed(1)} s, duplicates ${clean.duplicates}, lost ${clean.lost}`);
  if (process.env.BENCH_ONLY_CLEAN) return;
  const faults = await inProcessRun('faults run', true);
  progress(`faults run: duplicates ${faults.duplicates}, lost ${faults.lost} (${faults.seconds.toFixed(1)} s)`);
  const killed = await killedRun();
  progress(`killed run: duplicates ${killed.duplicates} (worker concurrency 4 bounds sends in flight), lost ${killed.lost}`);
  console.log(JSON.stringify({
    bench: 'offers',
    participants: PARTICIPANTS,
    rate_per_s: Number(clean.ratePerSecond.toFixed(2)),
    cap_per_s: CAP,
    duplicates: clean.duplicates,
    lost: clean.lost,
    faults_run: { duplicates: faults.duplicates, lost: faults.lost },
    killed_run: { duplicates: killed.duplicates, lost: killed.lost },
  }));
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
