import { Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import { searchRequestSchema } from '../../shared/demand-contract.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import type { SearchRequestService } from './search-request-service.ts';

/** Per-IP limit on the public endpoints; over it the client gets 429 with RateLimit headers. */
export function publicRateLimit(limitPerMinute: number) {
  return rateLimit({
    windowMs: 60_000,
    limit: limitPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new HttpError(429, 'too many requests, try again in a minute')),
  });
}

/** POST /api/search-requests: «Уведомить о поступлении» on the website. */
export function createDemandRoutes(deps: { searchRequests: SearchRequestService; limitPerMinute: number }) {
  const router = Router();
  router.post('/api/search-requests', publicRateLimit(deps.limitPerMinute), async (req, res) => {
    const input = parseInput(searchRequestSchema, req.body);
    const result = await deps.searchRequests.submit(input);
    res.status(result.status === 'created' ? 201 : 200).json(result);
  });
  return router;
}
