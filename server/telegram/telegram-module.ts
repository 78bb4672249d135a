import { Api, Bot } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import type { TelegramConfig } from '../config.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';
import { createBotTask, type BotCommand, type WebhookHost } from './bot-task.ts';

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
  const bot = new Bot(config.token, { apiRoot: config.apiRoot, timeoutMs: 60_000 });
  // Error boundary: log and consume the update (never crash-loop on a redelivered update),
  // and tell the person something went wrong when there is a chat to answer.
  bot.catch(async (error, ctx) => {
    logger.error({ err: error, update: ctx.update.update_id }, 'telegram: handler failed');
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: 'Ошибка, попробуйте ещё раз' }).catch(() => undefined);
    else if (ctx.chatId !== undefined) await ctx.reply('Что-то пошло не так. Попробуйте ещё раз чуть позже.').catch(() => undefined);
  });
  const fanOutApi = new Api(config.token, { apiRoot: config.apiRoot, maxRetries: 0, timeoutMs: 10_000 });
  const isAdmin = (userId: number | undefined) => userId !== undefined && config.adminIds.includes(userId);
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
