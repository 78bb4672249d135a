import { TelegramApiError, type Api, type Bot } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import { escapeHtml } from '../../shared/html-escape.ts';
import type { DeliveryRepository } from './delivery-repository.ts';

type HeldDeliveries = Pick<DeliveryRepository, 'resumeHeld' | 'holdAdminMessage'>;

/**
 * Telegram refuses a chat until its person presses Start: 403 "bot can't initiate conversation
 * with a user" (or "bot was blocked by the user"), and 400 "chat not found" for an id that never
 * wrote to the bot. A bot cannot message a person first (Telegram Bot API).
 */
export function refusedUntilStart(error: unknown): error is TelegramApiError {
  return error instanceof TelegramApiError && (error.errorCode === 403 || (error.errorCode === 400 && /chat not found/i.test(error.description)));
}

/**
 * Every message the bot's own Api sends to an admin's chat (task alerts, the admin panel's alerts
 * and notices: they go straight through the Bot API, not the delivery queue) is held in the queue
 * when Telegram refuses it before the admin's first /start, and sent at that /start. The caller
 * still sees the refusal: the message was not delivered now.
 */
function holdRefusedAdminMessages(api: Api, deps: { isAdmin(userId: number | undefined): boolean; deliveries: HeldDeliveries; logger: Logger }): void {
  const send = api.sendMessage.bind(api);
  api.sendMessage = async (params, signal) => {
    try {
      return await send(params, signal);
    } catch (error) {
      // An admin's private chat id is their user id.
      const chatId = typeof params.chat_id === 'number' ? params.chat_id : Number(params.chat_id);
      if (refusedUntilStart(error) && deps.isAdmin(chatId)) {
        const html = params.parse_mode === 'HTML' ? params.text : escapeHtml(params.text);
        const message = `${error.errorCode} ${error.description}`;
        await deps.deliveries
          .holdAdminMessage(chatId, { html, ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}) }, message)
          .then(() => deps.logger.info({ chat: chatId, error: message }, 'telegram: admin message held until the admin presses Start'))
          .catch((holdError: unknown) => deps.logger.warn({ err: holdError, chat: chatId }, 'telegram: could not hold a refused admin message'));
      }
      throw error;
    }
  };
}

/**
 * An admin's messages that Telegram refused before the admin pressed Start are held in the
 * queue (delivery-worker.ts for queued ones, holdRefusedAdminMessages for direct ones); the
 * admin's /start makes them due again.
 * Registered before the admin panel and the customers' /start (server/create-server.ts); it passes /start on.
 */
export function registerHeldAdminMessages(
  bot: Bot,
  deps: { isAdmin(userId: number | undefined): boolean; deliveries: HeldDeliveries; logger: Logger },
): void {
  holdRefusedAdminMessages(bot.api, deps);
  bot.command('start', async (ctx, next) => {
    if (ctx.chat?.type === 'private' && deps.isAdmin(ctx.from?.id)) {
      const resumed = await deps.deliveries.resumeHeld(ctx.chat.id);
      if (resumed > 0) deps.logger.info({ resumed }, 'telegram: the admin pressed Start, held messages are due');
    }
    return next();
  });
}
