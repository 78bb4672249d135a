import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signTelegramLogin, verifyTelegramLogin } from '../../server/auth/telegram-login.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';

const token = '123456:TEST-TOKEN';
const now = 1_800_000_000_000;

describe('Telegram Login Widget check', () => {
  it('accepts data signed with the bot token and reads the user', () => {
    const data = signTelegramLogin({ id: 77, first_name: 'Анна', username: 'anna', auth_date: now / 1000 - 60 }, token);
    expect(verifyTelegramLogin(data, token, { now: () => now })).toEqual({ ok: true, user: { id: 77, username: 'anna', first_name: 'Анна' } });
  });

  it('refuses a changed field, another bot token and an old login', () => {
    const data = signTelegramLogin({ id: 77, auth_date: now / 1000 - 60 }, token);
    expect(verifyTelegramLogin({ ...data, id: 78 }, token, { now: () => now })).toMatchObject({ ok: false, reason: 'signature does not match' });
    expect(verifyTelegramLogin(data, '654321:OTHER', { now: () => now })).toMatchObject({ ok: false });
    const old = signTelegramLogin({ id: 77, auth_date: now / 1000 - 2 * 86_400 }, token);
    expect(verifyTelegramLogin(old, token, { now: () => now })).toMatchObject({ ok: false, reason: 'login is too old, log in again' });
  });
});

describe('POST /api/search-requests checks every field Telegram signed', () => {
  let emu: TelegramEmulator;
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  const post = async (body: unknown) => {
    const response = await fetch(`${app.url}/api/search-requests`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as any };
  };
  const ask = { title: 'Loveless', artist: 'My Bloody Valentine' };
  const authDate = () => Math.floor(Date.now() / 1000) - 5;

  beforeAll(async () => {
    emu = await startTelegramEmulator({ botUsername: 'vinyl_test_bot' });
    database = await pgliteDatabase();
    app = await startTestApp(database.db, { TELEGRAM_BOT_TOKEN: emu.token, TELEGRAM_BOT_USERNAME: emu.botUsername, TELEGRAM_API_ROOT: emu.apiRoot, ADMIN_TELEGRAM_ID: '900' });
  });
  afterAll(async () => {
    await app?.close();
    await emu?.close();
    await database?.close();
  });

  it('a field the schema does not know, signed by Telegram, still makes a valid login', async () => {
    const auth = signTelegramLogin({ id: 4242, first_name: 'Ann', username: 'ann', photo_url: 'https://t.me/i/userpic/320/ann.jpg', auth_date: authDate(), allows_write_to_pm: 'true' }, emu.token);
    const { status, body } = await post({ ...ask, telegram_auth: auth });
    expect(status).toBe(201);
    expect(body).toMatchObject({ verified: true });
    const [participant] = await database.sql<{ participant: string; verified: boolean }>(
      `select participant, verified from record_participants where record_id = $1`, [body.record_id]);
    expect(participant).toEqual({ participant: 'tg:4242', verified: true });
  });

  it('a field added after signing, or one taken away, makes the login fail', async () => {
    const auth = signTelegramLogin({ id: 4444, username: 'cy', auth_date: authDate() }, emu.token);
    for (const forged of [{ ...auth, last_name: 'Admin' }, { ...auth, is_premium: true }, (({ username: _, ...rest }) => rest)(auth)]) {
      const { status, body } = await post({ ...ask, telegram_auth: forged });
      expect(status).toBe(400);
      expect(body.details).toEqual([{ field: 'telegram_auth', message: 'signature does not match' }]);
    }
    expect(await database.sql(`select 1 from record_participants where participant = 'tg:4444'`)).toEqual([]);
  });

  it('a field Telegram could not have sent is named', async () => {
    const auth = signTelegramLogin({ id: 4545, auth_date: authDate() }, emu.token);
    const { status, body } = await post({ ...ask, telegram_auth: { ...auth, nested: { a: 1 } } });
    expect(status).toBe(400);
    expect(body.details.map((d: { field: string }) => d.field)).toEqual(['telegram_auth.nested']);
  });
});
