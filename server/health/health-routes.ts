import { Router } from 'express';
import { integrationStatus, type Config } from '../config.ts';
import type { CatalogRepository } from '../catalog/catalog-repository.ts';

export interface HealthDeps {
  config: Config;
  catalog: CatalogRepository;
  startedAt: number;
  /** When the sheet last synced (ISO time), null until it has. */
  lastSync: () => Promise<unknown>;
}

/** GET /health: is the database reachable, which schema, which integrations are on. */
export function createHealthRoutes(deps: HealthDeps): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const integrations = Object.fromEntries(
      Object.entries(integrationStatus(deps.config)).map(([name, status]) => [name, status.configured]),
    );
    const base = {
      uptime_s: Math.round((Date.now() - deps.startedAt) / 1000),
      integrations,
      llm_provider: deps.config.llm.primary?.name ?? 'template',
    };
    try {
      const [status, lastSync] = await Promise.all([deps.catalog.status(), deps.lastSync()]);
      res.json({
        status: 'ok',
        database: { reachable: true, kind: deps.config.database.kind, schema_version: status.schema_version, records: status.records },
        last_sync: lastSync,
        ...base,
      });
    } catch (error) {
      res.status(503).json({
        status: 'unavailable',
        database: { reachable: false, kind: deps.config.database.kind, error: (error as Error).message },
        last_sync: null,
        ...base,
      });
    }
  });
  return router;
}
