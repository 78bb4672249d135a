import { createHash, timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import { HttpError } from '../http/http-error.ts';
import type { Metrics } from './create-metrics.ts';

/** GET /metrics in Prometheus's text format; with METRICS_TOKEN set, only with that bearer token. */
export function createMetricsRoutes(deps: { metrics: Metrics; token: string | null }): Router {
  const expected = deps.token ? createHash('sha256').update(deps.token).digest() : null;
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (expected) {
      const given = createHash('sha256').update(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '').digest();
      if (!timingSafeEqual(given, expected)) {
        throw new HttpError(401, 'missing or wrong metrics token', [{ field: 'authorization', message: 'expected Bearer <METRICS_TOKEN>' }]);
      }
    }
    res.setHeader('Cache-Control', 'no-store');
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
