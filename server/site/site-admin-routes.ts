import { Router } from 'express';
import { siteRebuildSchema, type SiteRebuildResult } from '../../shared/site-contract.ts';
import { requireAdminToken } from '../http/admin-auth.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import type { SiteBuilder } from './site-builder.ts';

/** POST /api/admin/site/rebuild (Bearer ADMIN_API_TOKEN): the static export rebuilt on request. */
export function createSiteAdminRoutes(deps: { adminApiToken: string | null; builder: SiteBuilder | null }) {
  const router = Router();
  router.post('/api/admin/site/rebuild', requireAdminToken(deps.adminApiToken), async (req, res) => {
    const { full } = parseInput(siteRebuildSchema, req.body ?? {});
    if (!deps.builder) throw new HttpError(409, 'the static export is off', [{ field: 'SITE_EXPORT_DIR', message: 'set it to the folder the site is exported to' }]);
    const result = await deps.builder.build({ full, reason: 'admin API' });
    const body: SiteRebuildResult = { ...result, ms: Math.round(result.ms) };
    res.json(body);
  });
  return router;
}
