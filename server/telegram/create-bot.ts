import { Api, Bot } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import type { TelegramConfig } from '../config.ts';

/**
 * The store's one Telegram bot (node-telegram-bot-api 2.x) with its error boundary. Feature
 * handlers are registered on it by their own modules (customer-handlers.ts; the admin panel
 * adds its own), so this file stays the same as features grow.
 */
export function createTelegramBot(config: TelegramConfig, logger: Logger) {
  const bot = new Bot(config.token, { apiRoot: config.apiRoot, timeoutMs: 60_000 });
  // Error boundary: log and consume the update (never crash-loop on a redelivered update),
  // and tell the person something went wrong when there is a chat to answer.
  bot.catch(async (error, ctx) => {
    logger.error({ err: error, update: ctx.update.update_id }, 'telegram: handler failed');
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: 'Ошибка, попробуйте ещё раз' }).catch(() => undefined);
    else if (ctx.chatId !== undefined) await ctx.reply('Что-то пошло не так. Попробуйте ещё раз чуть позже.').catch(() => undefined);
  });
  // Fan-out goes through its own Api without client-side retries: the delivery queue decides.
  const fanOutApi = new Api(config.token, { apiRoot: config.apiRoot, maxRetries: 0, timeoutMs: 10_000 });
  const isAdmin = (userId: number | undefined) => userId !== undefined && config.adminIds.includes(userId);
  return { bot, fanOutApi, isAdmin };
}
export type TelegramBot = ReturnType<typeof createTelegramBot>;
