import { Router, type RequestHandler } from 'express';
import { sheetActionPaths } from '../../shared/sheet-actions-contract.ts';
import { siteRebuildSchema, type SiteRebuildResult } from '../../shared/site-contract.ts';
import { requireAdminToken } from '../http/admin-auth.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import type { SiteBuilder } from './site-builder.ts';

/**
 * The static export rebuilt on the admin's request: POST /api/admin/site/rebuild (Bearer
 * ADMIN_API_TOKEN) and POST /api/sheet/site/rebuild (the sheet's «Винил» menu, HMAC-signed).
 */
export function createSiteAdminRoutes(deps: { adminApiToken: string | null; sheetAuth: RequestHandler; builder: SiteBuilder | null }) {
  const router = Router();
  const rebuild = (reason: string): RequestHandler => async (req, res) => {
    const { full } = parseInput(siteRebuildSchema, req.body ?? {});
    if (!deps.builder) throw new HttpError(409, 'the static export is off', [{ field: 'SITE_EXPORT_DIR', message: 'set it to the folder the site is exported to' }]);
    const result = await deps.builder.build({ full, reason });
    const body: SiteRebuildResult = { ...result, ms: Math.round(result.ms) };
    res.json(body);
  };
  router.post('/api/admin/site/rebuild', requireAdminToken(deps.adminApiToken), rebuild('admin API'));
  router.post(sheetActionPaths.siteRebuild, deps.sheetAuth, rebuild('sheet menu'));
  return router;
}
