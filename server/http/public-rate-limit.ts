import { rateLimit } from 'express-rate-limit';
import { HttpError } from './http-error.ts';

/**
 * Per-IP limit for public endpoints (search requests, offer lookups); over it the client gets
 * 429 with RateLimit headers. Behind a proxy it relies on express's "trust proxy" (TRUST_PROXY).
 */
export function publicRateLimit(limitPerMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: limitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, 'too many requests, try again in a minute')),
  });
}
