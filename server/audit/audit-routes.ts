import { Router } from 'express';
import { recordIdParamsSchema } from '../../shared/demand-contract.ts';
import { requireAdminToken } from '../http/admin-auth.ts';
import { parseInput } from '../http/http-error.ts';
import type { AuditRepository } from './audit-repository.ts';

/** GET /api/admin/records/:id/history (bearer ADMIN_API_TOKEN). */
export function createAuditRoutes(deps: { audit: AuditRepository; adminApiToken: string | null }): Router {
  const router = Router();
  router.get('/api/admin/records/:id/history', requireAdminToken(deps.adminApiToken), async (req, res) => {
    const { id } = parseInput(recordIdParamsSchema, req.params);
    res.json(await deps.audit.recordHistory(id));
  });
  return router;
}
