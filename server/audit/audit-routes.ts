import { Router } from 'express';
import { recordIdParamsSchema } from '../../shared/demand-contract.ts';
import type { RecordKeyResolver } from '../catalog/record-key.ts';
import { requireAdminToken } from '../http/admin-auth.ts';
import { parseInput } from '../http/http-error.ts';
import type { AuditRepository } from './audit-repository.ts';

/**
 * GET /api/admin/records/:id/history (bearer ADMIN_API_TOKEN). The id is the record's uuid (its
 * history stays readable after the row is gone) or its number (a live record).
 */
export function createAuditRoutes(deps: { audit: AuditRepository; adminApiToken: string | null; recordId: RecordKeyResolver }): Router {
  const router = Router();
  router.get('/api/admin/records/:id/history', requireAdminToken(deps.adminApiToken), async (req, res) => {
    const { id: key } = parseInput(recordIdParamsSchema, req.params);
    res.json(await deps.audit.recordHistory(await deps.recordId(key, 'id')));
  });
  return router;
}
