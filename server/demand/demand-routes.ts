import { Router } from 'express';
import { searchRequestSchema } from '../../shared/demand-contract.ts';
import { parseInput } from '../http/http-error.ts';
import { publicRateLimit } from '../http/public-rate-limit.ts';
import type { SearchRequestService } from './search-request-service.ts';

/** POST /api/search-requests: «Уведомить о поступлении» on the website. */
export function createDemandRoutes(deps: { searchRequests: SearchRequestService; limitPerMinute: number }) {
  const router = Router();
  router.post('/api/search-requests', publicRateLimit(deps.limitPerMinute), async (req, res) => {
    const input = parseInput(searchRequestSchema, req.body);
    const result = await deps.searchRequests.submit(input);
    // 202: unverified interest kept, nothing created yet.
    res.status(result.status === 'created' ? 201 : result.status === 'pending' ? 202 : 200).json(result);
  });
  return router;
}
