import type { Bot } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import type { TelegramConfig } from '../config.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';
import { createBotTask, type BotCommand, type WebhookHost } from './bot-task.ts';
import { createTelegramBot } from './create-bot.ts';

/** What a feature adds to the bot: its handlers and the commands it lists in the bot's menu. */
export interface BotFeature {
  name: string;
  /** Commands every customer sees (the default scope). */
  customerCommands?: BotCommand[];
  /** Commands only the admins see (set per admin chat, on top of the customers' ones). */
  adminCommands?: BotCommand[];
  register(bot: Bot, tools: { isAdmin(userId: number | undefined): boolean }): void;
}

/**
 * The store's Telegram bot as a module: this file creates it, each feature (demand, offers, the
 * admin panel, AI, catalog) contributes its handlers with `use`, and `task` receives updates.
 * Features are registered in create-server.ts, admin and customer ones side by side.
 */
export function createTelegramModule(config: TelegramConfig, logger: Logger) {
  const { bot, fanOutApi, isAdmin } = createTelegramBot(config, logger);
  const features: BotFeature[] = [];
  return {
    bot,
    /** Fan-out sends (offers, digests) without client-side retries: the delivery queue decides. */
    fanOutApi,
    isAdmin,
    adminIds: config.adminIds,
    use(feature: BotFeature) {
      features.push(feature);
      feature.register(bot, { isAdmin });
    },
    /** Receiving updates (polling or webhook on `app`); call after every feature is in. */
    task(app: WebhookHost): BackgroundTask {
      return createBotTask({
        bot,
        config,
        logger,
        app,
        customerCommands: features.flatMap((f) => f.customerCommands ?? []),
        adminCommands: features.flatMap((f) => f.adminCommands ?? []),
      });
    },
  };
}
export type TelegramModule = ReturnType<typeof createTelegramModule>;
