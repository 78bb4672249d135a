import type { Logger } from 'pino';
import type { AdminRepository } from '../../admin/admin-repository.ts';
import type { AiRepository } from '../../ai/ai-repository.ts';
import { createAuditRepository } from '../../audit/audit-repository.ts';
import type { CatalogRepository } from '../../catalog/catalog-repository.ts';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { PhotoStorage } from '../../media/photo-storage.ts';
import type { OffersRepository } from '../../offers/offers-repository.ts';
import type { BackgroundTask } from '../../tasks/background-task.ts';
import type { AdminMessenger } from '../held-admin-messages.ts';
import type { TelegramModule } from '../telegram-module.ts';
import { createAdminAlerts } from './admin-alerts.ts';
import { createAdminPanel } from './admin-panel.ts';
import { createAdminPanelRepository } from './admin-panel-repository.ts';
import { createChartRenderer } from './analytics/chart-renderer.ts';
import { createConversationStore } from './conversation-store.ts';
import { createEnrichmentNotices } from './enrichment-notices.ts';
import { createPhotoIntake } from './photos/photo-intake.ts';
import { createPhotoRepository } from './photos/photo-repository.ts';

/**
 * The admin panel of the bot (issue 9), wired: its handlers go into the bot ahead of the
 * customers' (so the admin's /start opens the panel), and the task that tells the admin when
 * the AI has finished a record.
 */
export function createAdminPanelFeature(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  telegram: TelegramModule;
  /** What the panel tells the admin on its own (held until the admin's first /start). */
  adminMessages: AdminMessenger;
  catalog: CatalogRepository;
  admin: AdminRepository;
  offers: OffersRepository;
  ai: AiRepository;
  photoStorage: PhotoStorage;
  /** How often admin alerts are collected (tests shorten it). */
  alertIntervalMs?: number;
}) {
  const tg = deps.config.telegram!;
  const panel = createAdminPanelRepository(deps.db);
  const photos = createPhotoRepository(deps.db);
  const photoIntake = createPhotoIntake({ api: deps.telegram.bot.api, apiRoot: tg.apiRoot, token: tg.token, storage: deps.photoStorage, photos });
  deps.telegram.use(
    createAdminPanel({
      conversations: createConversationStore(deps.db),
      panel,
      catalog: deps.catalog,
      admin: deps.admin,
      offers: deps.offers,
      ai: deps.ai,
      audit: createAuditRepository(deps.db),
      photoIntake,
      photos,
      publicSiteUrl: deps.config.publicSiteUrl,
      charts: createChartRenderer({ fontFile: deps.config.chartFontFile }),
      logger: deps.logger.child({ component: 'admin-bot' }),
    }),
  );
  const tasks: BackgroundTask[] = [
    createEnrichmentNotices({ panel, adminMessages: deps.adminMessages, logger: deps.logger }),
    createAdminAlerts({ db: deps.db, adminMessages: deps.adminMessages, adminIds: tg.adminIds, logger: deps.logger, intervalMs: deps.alertIntervalMs }),
  ];
  return { tasks, photoIntake };
}
