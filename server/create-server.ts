import cors from 'cors';
import express from 'express';
import type { Logger } from 'pino';
import { createAuditRepository } from './audit/audit-repository.ts';
import { createAuditRoutes } from './audit/audit-routes.ts';
import { createBackupRoutes } from './backup/backup-routes.ts';
import { createBackupTask } from './backup/backup-task.ts';
import { createCatalogFreshness } from './catalog/catalog-freshness.ts';
import { createCatalogRepository } from './catalog/catalog-repository.ts';
import { createAiModule } from './ai/ai-module.ts';
import { createCatalogRoutes } from './catalog/catalog-routes.ts';
import { createRecordKeyResolver } from './catalog/record-key.ts';
import { createDeliveryRepository } from './telegram/delivery-repository.ts';
import { createAdminMessenger } from './telegram/held-admin-messages.ts';
import { createDemandFeature } from './demand/demand-feature.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { createStatisticsRefresher } from './db/statistics-refresher.ts';
import { createDeepHealthCheck } from './health/deep-health.ts';
import { createHealthRoutes } from './health/health-routes.ts';
import { createErrorHandler, notFoundHandler } from './http/error-handler.ts';
import { keepRawBody } from './http/raw-body.ts';
import { refuseBrokenText } from './http/refuse-broken-text.ts';
import { createResponseCache } from './http/response-cache.ts';
import { buildOpenApiDocument } from './openapi/openapi-document.ts';
import { createOpenApiRoutes } from './openapi/openapi-routes.ts';
import { createMetrics } from './metrics/create-metrics.ts';
import { createMetricsRoutes } from './metrics/metrics-routes.ts';
import { createSheetRoutes } from './sheet/sheet-routes.ts';
import { createSheetSync } from './sheet/sheet-sync-service.ts';
import { createSiteCacheHits } from './site/site-cache-hits.ts';
import { createSiteModule } from './site/site-module.ts';
import type { BackgroundTask } from './tasks/background-task.ts';
import type { RestartPolicy } from './tasks/restart-policy.ts';
import { configSecrets, createSafeErrorMessage } from './tasks/safe-error-message.ts';
import { createTaskSupervisor } from './tasks/task-supervisor.ts';
import { createTelegramTaskAlerts } from './tasks/telegram-task-alerts.ts';
import { createTelegramModule } from './telegram/telegram-module.ts';
import { createAdminRepository } from './admin/admin-repository.ts';
import { createAiRepository } from './ai/ai-repository.ts';
import { createMediaRoutes } from './media/media-routes.ts';
import { createPhotoStorage } from './media/create-photo-storage.ts';
import { createOffersRepository } from './offers/offers-repository.ts';
import { createAdminPanelFeature } from './telegram/admin/admin-panel-feature.ts';

export interface ServerDeps {
  config: Config;
  db: Database;
  logger: Logger;
  startedAt?: number;
  /** Restart backoff and failure thresholds of the background tasks (tests shorten them). */
  supervision?: Partial<RestartPolicy>;
}

/**
 * The composition root below main.ts: builds every service from the configuration and the
 * database, mounts the HTTP routes and collects the background tasks. main.ts and the tests
 * both go through here, so tests exercise the real wiring.
 */
export function createServer(deps: ServerDeps) {
  const { config, db, logger } = deps;
  const catalog = createCatalogRepository(db);
  const cache = createResponseCache({ ttlSeconds: config.cacheTtlSeconds });
  const freshness = createCatalogFreshness({ db, cache });
  const tasks: BackgroundTask[] = [];
  if (db.kind === 'pglite') tasks.push(createStatisticsRefresher({ db, logger }));
  // Only this process writes an embedded database; on Supabase other instances may.
  else tasks.push(freshness.poller);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.http.trustProxy);
  // Responses carry their own ETag (response-cache.ts); express's would hash every body again.
  app.set('etag', false);
  // Prometheus metrics (issue 11): every response the app answers is counted.
  const metrics = config.metrics.enabled ? createMetrics({ db, cacheLookups: cache.lookups, tasks: () => supervisor.snapshot() }) : null;
  metrics?.observe(app);
  app.use('/api', cors({ maxAge: 86_400 }));
  // The website's hot path first: a cached catalog page passes no other middleware.
  app.use(createCatalogRoutes({ catalog, cache }));
  // The website's cached pages likewise (a miss goes on to the site's routes, mounted below).
  app.use(createSiteCacheHits(cache));
  // The raw bytes stay on the request for the sheet's signature check (http/raw-body.ts).
  app.use(express.json({ limit: '20mb', verify: keepRawBody }), refuseBrokenText);

  const sheetSync = createSheetSync({ db });
  app.use(
    createHealthRoutes({ config, catalog, startedAt: deps.startedAt ?? Date.now(), lastSync: sheetSync.lastSync, tasks: () => supervisor.snapshot(), deep: () => deepHealth() }),
  );
  app.use(createSheetRoutes({ sync: sheetSync, secret: config.sheet.secret, db }));
  if (metrics) app.use(createMetricsRoutes({ metrics, token: config.metrics.token }));
  // The API described from the routes' own zod schemas (server/openapi/api-operations.ts).
  const telegramWebhookPath = config.telegram?.mode === 'webhook' ? new URL(config.telegram.webhookUrl).pathname : null;
  app.use(createOpenApiRoutes(buildOpenApiDocument({ version: '1.0.0', telegramWebhookPath })));
  // The one Telegram bot; each feature below adds its handlers and commands to it.
  const telegram = config.telegram ? createTelegramModule(config.telegram, logger) : null;

  // Record photos (DATA_DIR/media on the embedded default, a Storage bucket on Supabase).
  const photoStorage = createPhotoStorage(config);
  if (photoStorage.kind === 'local') app.use(createMediaRoutes(config.media.dir));
  // What the server tells the admins on its own goes straight through the Bot API; a message
  // Telegram refused before an admin's first /start is held and resumed by that /start, whose
  // handler goes in ahead of the admin panel, which answers the admin's /start itself.
  const adminMessages = telegram ? createAdminMessenger(telegram, { deliveries: createDeliveryRepository(db), logger }) : null;
  // The admin panel (issue 9) goes in first: its middleware answers the admin and refuses admin
  // actions to everyone else, and hands every other update on to the customers' handlers.
  const adminPanel = telegram && adminMessages
    ? createAdminPanelFeature({ config, db, logger, telegram, adminMessages, catalog, photoStorage,
        admin: createAdminRepository(db, 'bot'), offers: createOffersRepository(db), ai: createAiRepository(db) })
    : null;
  if (adminPanel) tasks.push(...adminPanel.tasks);

  // Demand aggregation and pre-order offers (issue 4): routes, customer bot, delivery, scheduler.
  const demandFeature = createDemandFeature({ config, db, logger, catalog, telegram });
  app.use(demandFeature.router);
  tasks.push(...demandFeature.tasks);

  // Every change of a record, with who made it (issue 11): the admin API and the bot's record card.
  const audit = createAuditRepository(db);
  app.use(createAuditRoutes({ audit, adminApiToken: config.adminApiToken, recordId: createRecordKeyResolver(catalog) }));
  // Backups of the embedded database: on demand (npm run backup) and, with BACKUP_DIR, periodic.
  app.use(createBackupRoutes({ db, dir: config.backup.dir ?? 'backups', keep: config.backup.keep, adminApiToken: config.adminApiToken }));
  if (config.backup.dir && db.kind === 'pglite') tasks.push(createBackupTask({ db, logger, dir: config.backup.dir, keep: config.backup.keep, intervalHours: config.backup.intervalHours }));

  // AI musicologist (issue 5): enrich endpoints and the durable enrichment queue's worker.
  const ai = createAiModule({ config, db, logger, onLlmCall: metrics?.llmCall });
  app.use(ai.routes);
  tasks.push(ai.worker);

  // The store website (issue 10): pages cached with the API's responses, the static export.
  const site = createSiteModule({ config, db, cache, catalog, logger, telegram });
  app.use(site.router);
  tasks.push(...site.tasks);

  // Receiving updates starts once every feature has added its handlers (the webhook is a route).
  if (telegram) tasks.push(telegram.task(app));

  app.use(site.notFound);
  app.use(notFoundHandler);
  app.use(createErrorHandler(logger));

  // Every background task runs under one supervisor: restarts with backoff, state for /health,
  // and the admin told straight through the Bot API (not the database's queue) when one is down.
  const describeError = createSafeErrorMessage(configSecrets(config));
  // Every integration tried once: /health?deep=1 and the admin bot's status show it.
  const deepHealth = createDeepHealthCheck({ config, db, describeError, telegramGetMe: telegram ? () => telegram.bot.api.getMe() : null });
  const alerts = telegram && adminMessages ? createTelegramTaskAlerts({ adminMessages, adminIds: telegram.adminIds, logger, describeError }) : undefined;
  const supervisor = createTaskSupervisor({ tasks, logger, policy: deps.supervision, alerts, describeError });
  return {
    app,
    catalog,
    cache,
    tasks,
    supervisor,
    demandFeature,
    telegram,
    audit,
    metrics,
    /** Tries every integration (database, Telegram, LLM, the sheet's last call). */
    deepHealth,
    adminPanel,
    /** Starts the background tasks (HTTP listening is the caller's). */
    start: () => supervisor.start(),
    /** Stops background tasks in reverse order, each finishing its work in hand; safe to call twice. */
    stop: () => supervisor.stop(),
  };
}
export type VinylServer = ReturnType<typeof createServer>;
