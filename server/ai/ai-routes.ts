import { Router } from 'express';
import { z } from 'zod';
import { enrichParamsSchema, enrichQuerySchema } from '../../shared/ai-contract.ts';
import { enrichRequestSchema, sheetActionPaths } from '../../shared/sheet-actions-contract.ts';
import type { RecordKeyResolver } from '../catalog/record-key.ts';
import type { Database } from '../db/database.ts';
import { requireAdminToken } from '../http/admin-auth.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import { requireSheetSignature } from '../sheet/sheet-auth.ts';
import type { AiService } from './ai-service.ts';

const jobParamsSchema = z.object({ job_id: z.uuid('expected the job id the enrich call returned') });

/**
 * POST /api/ai/enrich/:record_id?force=true (admin token), and the sheet's batch endpoints
 * (HMAC-signed): POST /api/sheet/enrich → {job_id, total}; GET /api/sheet/enrich/:job_id → progress.
 */
export function createAiRoutes(deps: {
  service: AiService;
  adminApiToken: string | null;
  sheetSecret: string | null;
  db: Database;
  recordId: RecordKeyResolver;
}): Router {
  const router = Router();
  const signed = requireSheetSignature({ secret: deps.sheetSecret, db: deps.db });

  router.post('/api/ai/enrich/:record_id', requireAdminToken(deps.adminApiToken), async (req, res) => {
    const { record_id: key } = parseInput(enrichParamsSchema, req.params, 'invalid record id');
    const { force } = parseInput(enrichQuerySchema, req.query, 'invalid query');
    const result = await deps.service.enrichNow(await deps.recordId(key, 'record_id'), force);
    if (!result) throw new HttpError(404, `record ${key} not found`, [{ field: 'record_id', message: 'no such record' }]);
    res.json(result);
  });

  router.post(sheetActionPaths.enrich, signed, async (req, res) => {
    const request = parseInput(enrichRequestSchema, req.body, 'invalid enrich request');
    const batch = await deps.service.startBatch(request);
    if (batch.total === 0 && request.record_ids?.length) {
      throw new HttpError(404, 'none of the records was found', [{ field: 'record_ids', message: 'unknown or deleted records' }]);
    }
    res.status(202).json(batch);
  });

  router.get('/api/sheet/enrich/:job_id', signed, async (req, res) => {
    const { job_id } = parseInput(jobParamsSchema, req.params, 'invalid job id');
    const progress = await deps.service.batchProgress(job_id);
    if (!progress) throw new HttpError(404, `enrich job ${job_id} not found`, [{ field: 'job_id', message: 'no such job' }]);
    res.json(progress);
  });

  return router;
}
