import { TelegramApiError, type Api } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import type { DeliveryRepository } from './delivery-repository.ts';
import type { TelegramModule } from './telegram-module.ts';

type HeldDeliveries = Pick<DeliveryRepository, 'resumeHeld' | 'holdAdminMessage'>;
type SendOptions = Omit<Parameters<Api['sendMessage']>[0], 'chat_id' | 'text' | 'parse_mode'>;

/**
 * Telegram refuses a chat until its person presses Start: 403 "bot can't initiate conversation
 * with a user" (or "bot was blocked by the user"), and 400 "chat not found" for an id that never
 * wrote to the bot. A bot cannot message a person first (Telegram Bot API).
 */
export function refusedUntilStart(error: unknown): error is TelegramApiError {
  return error instanceof TelegramApiError && (error.errorCode === 403 || (error.errorCode === 400 && /chat not found/i.test(error.description)));
}

/**
 * What the server tells an admin on its own, straight through the Bot API rather than the
 * delivery queue (task alerts, the admin panel's alerts and notices). A message Telegram refuses
 * before the admin's first /start is held in the queue, as the delivery worker holds queued ones,
 * and the admin's /start makes every held message due again: that handler is registered here,
 * before the admin panel and the customers' /start (server/create-server.ts), and passes /start on.
 * The caller of send still sees the refusal: the message was not delivered now.
 */
export function createAdminMessenger(telegram: TelegramModule, deps: { deliveries: HeldDeliveries; logger: Logger }) {
  telegram.use({
    name: 'held-admin-messages',
    register: (bot) =>
      bot.command('start', async (ctx, next) => {
        if (ctx.chat?.type === 'private' && telegram.isAdmin(ctx.from?.id)) {
          const resumed = await deps.deliveries.resumeHeld(ctx.chat.id);
          if (resumed > 0) deps.logger.info({ resumed }, 'telegram: the admin pressed Start, held messages are due');
        }
        return next();
      }),
  });
  return {
    /** Sends Telegram HTML to an admin's chat (an admin's private chat id is their user id). */
    async send(chatId: number, html: string, options: SendOptions = {}): Promise<void> {
      try {
        await telegram.bot.api.sendMessage({ ...options, chat_id: chatId, text: html, parse_mode: 'HTML' });
      } catch (error) {
        if (refusedUntilStart(error)) {
          const reason = `${error.errorCode} ${error.description}`;
          await deps.deliveries
            .holdAdminMessage(chatId, { html, ...(options.reply_markup ? { reply_markup: options.reply_markup } : {}) }, reason)
            .then(() => deps.logger.info({ chat: chatId, error: reason }, 'telegram: admin message held until the admin presses Start'))
            .catch((holdError: unknown) => deps.logger.warn({ err: holdError, chat: chatId }, 'telegram: could not hold a refused admin message'));
        }
        throw error;
      }
    },
  };
}
export type AdminMessenger = ReturnType<typeof createAdminMessenger>;
