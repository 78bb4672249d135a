import { describe, expect, it } from 'vitest';
import { signTelegramLogin, verifyTelegramLogin } from '../../server/auth/telegram-login.ts';

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
