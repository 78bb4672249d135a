import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

/**
 * Bearer ADMIN_API_TOKEN for admin endpoints. Hashing both sides first gives equal-length
 * buffers, so the comparison takes the same time whatever the guess.
 */
export function requireAdminToken(token: string | null): RequestHandler {
  const expected = token ? createHash('sha256').update(token).digest() : null;
  return (req, _res, next) => {
    if (!expected) return next(new HttpError(503, 'admin API is off: set ADMIN_API_TOKEN'));
    const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    if (!match || !timingSafeEqual(given, expected)) {
      return next(new HttpError(401, 'missing or wrong admin token', [{ field: 'authorization', message: 'expected Bearer <ADMIN_API_TOKEN>' }]));
    }
    next();
  };
}
