import type { RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

/** Half of a UTF-16 surrogate pair on its own: JSON may spell it ("\ud800"), Unicode text cannot hold it. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Refuses a JSON body with a broken character in any string, naming where it is. Postgres cannot
 * store one: a text argument silently became "�" and a JSON argument failed with "invalid input
 * syntax for type json". Runs after express.json, before any route.
 */
export const refuseBrokenText: RequestHandler = (req, _res, next) => {
  const where = brokenTextAt(req.body, []);
  if (where === null) return next();
  next(new HttpError(400, 'invalid text', [{ field: where || '(body)', message: 'contains a broken character (half of a UTF-16 surrogate pair): send valid Unicode text' }]));
};

function brokenTextAt(value: unknown, path: string[]): string | null {
  if (typeof value === 'string') return loneSurrogate.test(value) ? path.join('.') : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (loneSurrogate.test(key)) return [...path, '(key)'].join('.');
    const found = brokenTextAt(item, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
