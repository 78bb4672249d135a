import cors from 'cors';
import express from 'express';
import type { Logger } from 'pino';
import { createCatalogRepository } from './catalog/catalog-repository.ts';
import { createCatalogRoutes } from './catalog/catalog-routes.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { createHealthRoutes } from './health/health-routes.ts';
import { createErrorHandler, notFoundHandler } from './http/error-handler.ts';
import { createResponseCache } from './http/response-cache.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  startedAt?: number;
}

/** The raw bytes of a JSON body, kept for signature checks (the sheet signs what it sent). */
export type RequestWithRawBody = express.Request & { rawBody?: Buffer };

/** Builds the HTTP application from its dependencies; listening is main.ts's job. */
export function createApp(deps: AppDeps) {
  const { config, db, logger } = deps;
  const catalog = createCatalogRepository(db);
  const cache = createResponseCache({ ttlSeconds: config.cacheTtlSeconds });
  db.onWrite(() => cache.invalidate());

  const app = express();
  app.disable('x-powered-by');
  // Responses carry their own ETag (response-cache.ts); express's would hash every body again.
  app.set('etag', false);
  app.use('/api', cors({ maxAge: 86_400 }));
  app.use(
    express.json({
      limit: '20mb',
      verify: (req, _res, buf) => {
        (req as RequestWithRawBody).rawBody = buf;
      },
    }),
  );

  app.use(createHealthRoutes({ config, catalog, startedAt: deps.startedAt ?? Date.now(), lastSync: async () => null }));
  app.use(createCatalogRoutes({ catalog, cache }));

  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));
  return app;
}
