import type { Bot } from 'node-telegram-bot-api';
import type { Logger } from 'pino';
import type { DeliveryRepository } from './delivery-repository.ts';

/**
 * An admin's messages that Telegram refused before the admin pressed Start are held in the
 * queue (delivery-worker.ts); the admin's /start makes them due again.
 * Registered before the admin panel and the customers' /start (server/create-server.ts); it passes /start on.
 */
export function registerHeldAdminMessages(
  bot: Bot,
  deps: { isAdmin(userId: number | undefined): boolean; deliveries: Pick<DeliveryRepository, 'resumeHeld'>; logger: Logger },
): void {
  bot.command('start', async (ctx, next) => {
    if (ctx.chat?.type === 'private' && deps.isAdmin(ctx.from?.id)) {
      const resumed = await deps.deliveries.resumeHeld(ctx.chat.id);
      if (resumed > 0) deps.logger.info({ resumed }, 'telegram: the admin pressed Start, held messages are due');
    }
    return next();
  });
}
