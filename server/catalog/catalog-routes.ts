import { Router } from 'express';
import { recordParamsSchema, recordsQuerySchema } from '../../shared/catalog-contract.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import { sendCached, type ResponseCache } from '../http/response-cache.ts';
import type { CatalogRepository } from './catalog-repository.ts';

/** Public catalog API for the website: GET /api/records and GET /api/records/:id. */
export function createCatalogRoutes(deps: { catalog: CatalogRepository; cache: ResponseCache }): Router {
  const { catalog, cache } = deps;
  const router = Router();

  router.get('/api/records', async (req, res) => {
    // The raw URL is the key, so a hit costs a map lookup: no parsing, no validation.
    const key = req.originalUrl;
    const hit = cache.get(key);
    if (hit) return sendCached(req, res, hit);
    const started = cache.begin();
    const query = parseInput(recordsQuerySchema, req.query, 'invalid query');
    const page = await catalog.search(query);
    sendCached(req, res, cache.set(key, page, started));
  });

  router.get('/api/records/:id', async (req, res) => {
    const key = req.originalUrl;
    const hit = cache.get(key);
    if (hit) return sendCached(req, res, hit);
    const started = cache.begin();
    const { id } = parseInput(recordParamsSchema, req.params, 'invalid record id');
    const record = await catalog.get(id);
    if (!record) throw new HttpError(404, `record ${id} not found`);
    sendCached(req, res, cache.set(key, record, started));
  });

  return router;
}
