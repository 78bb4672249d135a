import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { TelegramLogin } from '../../shared/demand-contract.ts';

export type TelegramLoginCheck =
  | { ok: true; user: { id: number; username?: string; first_name?: string } }
  | { ok: false; reason: string };

/**
 * Verifies Telegram Login Widget data (https://core.telegram.org/widgets/login#checking-authorization):
 * data-check-string = every field but hash, sorted by key, "key=value" joined by "\n";
 * valid when hex(HMAC-SHA256(key = SHA256(bot token), data-check-string)) equals hash, and
 * auth_date is recent (an old login could be a replay).
 */
export function verifyTelegramLogin(
  data: TelegramLogin | Record<string, unknown>,
  botToken: string,
  options: { maxAgeSeconds?: number; now?: () => number } = {},
): TelegramLoginCheck {
  const maxAge = options.maxAgeSeconds ?? 86_400;
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  const { hash, ...fields } = data as Record<string, unknown>;
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) return { ok: false, reason: 'hash is missing or malformed' };
  const checkString = Object.keys(fields)
    .filter((key) => fields[key] !== undefined && fields[key] !== null)
    .sort()
    .map((key) => `${key}=${String(fields[key])}`)
    .join('\n');
  const secret = createHash('sha256').update(botToken).digest();
  const expected = createHmac('sha256', secret).update(checkString).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'signature does not match' };
  const authDate = Number(fields.auth_date);
  if (!Number.isFinite(authDate) || nowSeconds - authDate > maxAge) return { ok: false, reason: 'login is too old, log in again' };
  if (authDate - nowSeconds > 300) return { ok: false, reason: 'auth_date is in the future' };
  const id = Number(fields.id);
  if (!Number.isSafeInteger(id) || id <= 0) return { ok: false, reason: 'id is not a Telegram user id' };
  return {
    ok: true,
    user: {
      id,
      username: typeof fields.username === 'string' ? fields.username : undefined,
      first_name: typeof fields.first_name === 'string' ? fields.first_name : undefined,
    },
  };
}

/** Signs login data as Telegram does: for tests and local tools. */
export function signTelegramLogin<T extends Record<string, string | number>>(fields: T, botToken: string): T & { hash: string } {
  const checkString = Object.keys(fields).sort().map((key) => `${key}=${fields[key]}`).join('\n');
  const secret = createHash('sha256').update(botToken).digest();
  return { ...fields, hash: createHmac('sha256', secret).update(checkString).digest('hex') };
}
