import { Router } from 'express';
import { offerParamsSchema } from '../../shared/demand-contract.ts';
import { sendOffersRequestSchema, sheetActionPaths, type SendOffersResult } from '../../shared/sheet-actions-contract.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import { publicRateLimit } from '../http/public-rate-limit.ts';
import type { RequestHandler } from 'express';
import type { OffersRepository } from './offers-repository.ts';

/** Maps "cannot send offers" to the answer the admin can act on. */
export function sendOffersError(error: 'not_found' | 'not_available' | 'no_price', status?: string): HttpError {
  if (error === 'not_found') return new HttpError(404, 'no such record', [{ field: 'record_id', message: 'no record with this id' }]);
  if (error === 'no_price') return new HttpError(409, 'the record has no price', [{ field: 'price', message: 'set a price, then send the offers' }]);
  return new HttpError(409, 'the record is not available', [{ field: 'status', message: `offers go out for 🟢 Available records; this one is ${status}` }]);
}

/** Public GET /api/offers/:code and the sheet's POST /api/sheet/send-offers. */
export function createOfferRoutes(deps: { offers: OffersRepository; limitPerMinute: number; sheetAuth: RequestHandler }) {
  const router = Router();
  // A code is 50 random bits; the per-IP limit makes guessing hopeless on top of that.
  router.get('/api/offers/:code', publicRateLimit(deps.limitPerMinute), async (req, res) => {
    const { code } = parseInput(offerParamsSchema, req.params, 'invalid offer code');
    const offer = await deps.offers.lookup(code);
    if (!offer) throw new HttpError(404, 'no such offer code', [{ field: 'code', message: 'unknown code' }]);
    res.setHeader('Cache-Control', 'no-store');
    res.json(offer);
  });

  router.post(sheetActionPaths.sendOffers, deps.sheetAuth, async (req, res) => {
    const { record_id } = parseInput(sendOffersRequestSchema, req.body);
    const result = await deps.offers.createForRecord(record_id);
    if ('error' in result) throw sendOffersError(result.error, result.status);
    const body: SendOffersResult = { recipients: result.recipients, offers_created: result.offers_created };
    res.json(body);
  });
  return router;
}
