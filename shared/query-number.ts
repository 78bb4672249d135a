import { z } from 'zod';

/**
 * A number in a query string (?price_min=2500&limit=20), in plain decimal notation only.
 * Number() and z.coerce.number() also take "0x10", "1e2", " 5", "" (0) and "Infinity", so a
 * typo or a crafted URL turned into a filter nobody asked for; here they are a 400 naming the
 * parameter. A repeated parameter (?limit=1&limit=2) is refused as well (not a single string).
 */
const decimal = /^-?[0-9]{1,15}(\.[0-9]{1,15})?$/;
const whole = /^-?[0-9]{1,15}$/;

export function queryNumber(options: { min: number; max: number; integer?: boolean }) {
  const { min, max, integer = false } = options;
  const example = integer ? 'a whole number such as 20' : 'a decimal number such as 2500 or 99.50';
  return z
    .string({ error: `expected ${example}` })
    .regex(integer ? whole : decimal, `expected ${example}`)
    .transform(Number)
    .pipe(z.number().min(min, `expected ${min} to ${max}`).max(max, `expected ${min} to ${max}`));
}
