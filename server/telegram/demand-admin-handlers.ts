import type { Bot } from 'node-telegram-bot-api';
import { escapeHtml as e } from '../../shared/html-escape.ts';
import type { CatalogRepository } from '../catalog/catalog-repository.ts';
import type { DemandRepository } from '../demand/demand-repository.ts';
import { demandCallbacks } from './demand-callbacks.ts';

/**
 * The admin's answer when a new record only loosely matches a customers' request: the button under
 * that message moves the request's waiting people onto the record. Admins only.
 */
export function registerDemandAdminHandlers(bot: Bot, deps: { isAdmin(userId: number | undefined): boolean; catalog: CatalogRepository; demand: DemandRepository }): void {
  bot.on('callback_query', async (ctx, next) => {
    const action = demandCallbacks.parse(ctx.callbackQuery?.data);
    if (!action) return next();
    if (!deps.isAdmin(ctx.from?.id)) {
      await ctx.answerCallbackQuery({ text: 'Эта кнопка только для администратора.', show_alert: true });
      return;
    }
    const [record, request] = await Promise.all([deps.catalog.get(action.record), deps.catalog.get(action.request)]);
    const joined = record && request ? await deps.demand.joinRequest(record.id, request.id) : { result: 'not_found' as const };
    const text = joined.result === 'joined'
      ? `🔗 Запрос #${e(joined.request_number)} присоединён к #${e(joined.number)} (${e(joined.artist)} — ${e(joined.title)}): перенесено покупателей: ${e(joined.moved)}.`
      : joined.result === 'not_a_request' ? 'Это уже не запрос покупателей — объединять нечего.' : 'Пластинка не найдена.';
    const message = ctx.callbackQuery?.message;
    if (message) {
      await ctx.api.sendMessage({ chat_id: message.chat.id, text, parse_mode: 'HTML', reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true } });
      await ctx.api.editMessageReplyMarkup({ chat_id: message.chat.id, message_id: message.message_id }).catch(() => undefined);
    }
    await ctx.answerCallbackQuery({ text: joined.result === 'joined' ? 'Объединено' : 'Не получилось' });
  });
}
