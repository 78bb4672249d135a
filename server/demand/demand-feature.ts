import { Router } from 'express';
import type { Logger } from 'pino';
import { createAdminRepository } from '../admin/admin-repository.ts';
import { createAdminRoutes } from '../admin/admin-routes.ts';
import { untilAborted } from '../async/sleep.ts';
import type { CatalogRepository } from '../catalog/catalog-repository.ts';
import { createRecordKeyResolver } from '../catalog/record-key.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { createOfferRoutes } from '../offers/offer-routes.ts';
import { createOffersRepository } from '../offers/offers-repository.ts';
import { createOffersScheduler } from '../offers/offers-scheduler.ts';
import { requireSheetSignature } from '../sheet/sheet-auth.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';
import { registerAdminCommandHandlers } from '../telegram/admin-handlers.ts';
import { registerCustomerHandlers } from '../telegram/customer-handlers.ts';
import { registerDemandAdminHandlers } from '../telegram/demand-admin-handlers.ts';
import { registerReservationAdminHandlers } from '../telegram/reservation-admin-handlers.ts';
import { createDeliveryRenderer } from '../telegram/delivery-messages.ts';
import { createDeliveryRepository } from '../telegram/delivery-repository.ts';
import { createDeliveryWorker } from '../telegram/delivery-worker.ts';
import type { TelegramModule } from '../telegram/telegram-module.ts';
import { createDemandRepository } from './demand-repository.ts';
import { createDemandRoutes } from './demand-routes.ts';
import { createSearchRequestService } from './search-request-service.ts';

/**
 * Demand aggregation and pre-order offers, wired: public and admin routes, the customer bot
 * commands, the delivery worker and the scheduler. create-server.ts mounts `router` and adds `tasks`.
 */
export function createDemandFeature(deps: {
  config: Config;
  db: Database;
  logger: Logger;
  catalog: CatalogRepository;
  telegram: TelegramModule | null;
}) {
  const { config, db, logger } = deps;
  const demand = createDemandRepository(db);
  const offers = createOffersRepository(db);
  const admin = createAdminRepository(db);
  const tg = config.telegram;

  const router = Router();
  const searchRequests = createSearchRequestService({ demand, botToken: tg?.token ?? null, botUsername: tg?.botUsername });
  router.use(createDemandRoutes({ searchRequests, limitPerMinute: 30 }));
  router.use(createOfferRoutes({ offers, limitPerMinute: 60, sheetAuth: requireSheetSignature({ secret: config.sheet.secret, db }) }));
  router.use(createAdminRoutes({ adminApiToken: config.adminApiToken, admin, offers, recordId: createRecordKeyResolver(deps.catalog), demand }));

  const tasks: BackgroundTask[] = [
    {
      // Triggers fired by any writer read these (offers are created in the database). Set once,
      // then held: the supervisor starts the queues after it and retries it if the database
      // was not there yet.
      name: 'offer-settings',
      async run({ signal, succeeded }) {
        await demand.configure({
          discount_percent: config.offers.discountPercent,
          offer_ttl_days: config.offers.ttlDays,
          reservation_days: config.offers.reservationDays,
          offer_exclusive_hours: config.offers.exclusiveHours,
          reservation_limit: config.offers.reservationLimit,
          demand_per_person_per_day: config.demand.perPersonPerDay,
          demand_unverified_per_title_per_hour: config.demand.unverifiedPerTitlePerHour,
          demand_new_titles_per_hour: config.demand.newTitlesPerHour,
          demand_unverified_per_hour: config.demand.unverifiedPerHour,
          admin_chat_ids: tg?.adminIds ?? [],
        });
        succeeded();
        await untilAborted(signal);
      },
    },
    createOffersScheduler({ offers, demand, logger }),
  ];

  const { telegram } = deps;
  let deliveryWorker = null;
  if (telegram && tg) {
    const deliveries = createDeliveryRepository(db);
    telegram.use({
      name: 'demand',
      customerCommands: [
        { command: 'my', description: 'Мои запросы и предложения' },
        { command: 'stop', description: 'Отписаться от уведомлений' },
      ],
      register: (bot) => registerCustomerHandlers(bot, { catalog: deps.catalog, demand, offers }),
    });
    telegram.use({
      name: 'procurement',
      register: (bot, { isAdmin }) => registerAdminCommandHandlers(bot, { isAdmin, catalog: deps.catalog, admin: createAdminRepository(db, 'bot') }),
    });
    telegram.use({
      name: 'reservations-admin',
      adminCommands: [{ command: 'reservations', description: 'Активные брони' }],
      register: (bot, { isAdmin }) => registerReservationAdminHandlers(bot, { isAdmin, offers }),
    });
    telegram.use({
      name: 'demand-admin',
      register: (bot, { isAdmin }) => registerDemandAdminHandlers(bot, { isAdmin, catalog: deps.catalog, demand }),
    });
    const render = createDeliveryRenderer({ offers, publicSiteUrl: config.publicSiteUrl, botUsername: tg.botUsername });
    deliveryWorker = createDeliveryWorker({ deliveries, api: telegram.fanOutApi, render, logger, ratePerSecond: tg.ratePerSecond });
    tasks.push(deliveryWorker);
  }
  return { router, tasks, demand, offers, admin, deliveryWorker };
}
export type DemandFeature = ReturnType<typeof createDemandFeature>;
