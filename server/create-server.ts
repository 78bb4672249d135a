import cors from 'cors';
import express from 'express';
import type { Logger } from 'pino';
import { createCatalogRepository } from './catalog/catalog-repository.ts';
import { createAiModule } from './ai/ai-module.ts';
import { createCatalogRoutes } from './catalog/catalog-routes.ts';
import { createDemandFeature } from './demand/demand-feature.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { createStatisticsRefresher } from './db/statistics-refresher.ts';
import { createHealthRoutes } from './health/health-routes.ts';
import { createErrorHandler, notFoundHandler } from './http/error-handler.ts';
import { createResponseCache } from './http/response-cache.ts';
import { createSheetRoutes } from './sheet/sheet-routes.ts';
import { createSheetSync } from './sheet/sheet-sync-service.ts';

export interface ServerDeps {
  config: Config;
  db: Database;
  logger: Logger;
  startedAt?: number;
}

/** A long-running part of the server (a queue worker, a scheduler, the bot's polling). */
export interface BackgroundTask {
  name: string;
  start(): Promise<void> | void;
  /** Stops taking new work and waits for the work in hand. */
  stop(): Promise<void>;
}

/** The raw bytes of a JSON body, kept for signature checks (the sheet signs what it sent). */
export type RequestWithRawBody = express.Request & { rawBody?: Buffer };

/**
 * The composition root below main.ts: builds every service from the configuration and the
 * database, mounts the HTTP routes and collects the background tasks. main.ts and the tests
 * both go through here, so tests exercise the real wiring.
 */
export function createServer(deps: ServerDeps) {
  const { config, db, logger } = deps;
  const catalog = createCatalogRepository(db);
  const cache = createResponseCache({ ttlSeconds: config.cacheTtlSeconds });
  db.onWrite(() => cache.invalidate());
  const tasks: BackgroundTask[] = [];
  if (db.kind === 'pglite') tasks.push(createStatisticsRefresher({ db, logger }));

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);
  // Responses carry their own ETag (response-cache.ts); express's would hash every body again.
  app.set('etag', false);
  app.use('/api', cors({ maxAge: 86_400 }));
  // The website's hot path first: a cached catalog page passes no other middleware.
  app.use(createCatalogRoutes({ catalog, cache }));
  app.use(
    express.json({
      limit: '20mb',
      verify: (req, _res, buf) => {
        (req as RequestWithRawBody).rawBody = buf;
      },
    }),
  );

  const sheetSync = createSheetSync({ db });
  app.use(createHealthRoutes({ config, catalog, startedAt: deps.startedAt ?? Date.now(), lastSync: sheetSync.lastSync }));
  app.use(createSheetRoutes({ sync: sheetSync, secret: config.sheet.secret, db }));
  // Demand aggregation and pre-order offers (issue 4): routes, customer bot, delivery, scheduler.
  const demandFeature = createDemandFeature({ config, db, logger, catalog });
  app.use(demandFeature.router);
  tasks.push(...demandFeature.tasks);

  // AI musicologist (issue 5): enrich endpoints and the durable enrichment queue's worker.
  const ai = createAiModule({ config, db, logger });
  app.use(ai.routes);
  tasks.push(ai.worker);

  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));

  let started: BackgroundTask[] = [];
  return {
    app,
    catalog,
    tasks,
    demandFeature,
    /** Starts the background tasks (HTTP listening is the caller's). */
    async start() {
      for (const task of tasks) {
        await task.start();
        started.push(task);
      }
    },
    /** Stops background tasks in reverse order; safe to call twice. */
    async stop() {
      const running = started.reverse();
      started = [];
      for (const task of running) {
        try {
          await task.stop();
        } catch (error) {
          logger.error({ err: error, task: task.name }, 'background task did not stop cleanly');
        }
      }
    },
  };
}
export type VinylServer = ReturnType<typeof createServer>;
