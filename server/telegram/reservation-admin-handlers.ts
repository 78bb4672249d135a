import type { Bot, InlineKeyboardMarkup } from 'node-telegram-bot-api';
import { escapeHtml as e } from '../../shared/html-escape.ts';
import { formatDateRu, formatRub } from '../../shared/russian-format.ts';
import type { ActiveReservation, OffersRepository } from '../offers/offers-repository.ts';
import { reservationCallbacks } from './reservation-callbacks.ts';

const html = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

const buyer = (r: ActiveReservation) => `<a href="tg://user?id=${e(r.chat_id)}">${e(r.contact ?? String(r.chat_id))}</a>`;

export const reservationAdminTexts = {
  list(items: ActiveReservation[]) {
    if (items.length === 0) return 'Активных броней нет.';
    const lines = items.map((r) => `• #${e(r.number)} ${e(r.artist)} — ${e(r.title)}: ${buyer(r)}, ${formatRub(r.price)}, до ${formatDateRu(r.reserved_until)}`);
    return `🟠 <b>Активные брони</b> (${items.length}):\n${lines.join('\n')}`;
  },
  cancelled: (r: { number?: number; artist?: string; title?: string }) =>
    `❌ Бронь отменена: #${e(r.number)} ${e(r.artist)} — ${e(r.title)}. Пластинка снова в наличии, покупатель получил сообщение.`,
  closed: 'Эта бронь уже закрыта (продана, отменена или истекла).',
  adminOnly: 'Эта кнопка только для администратора.',
};

function cancelButtons(items: ActiveReservation[]): InlineKeyboardMarkup | undefined {
  if (items.length === 0) return undefined;
  return { inline_keyboard: items.map((r) => [{ text: `❌ #${r.number}: отменить`, callback_data: reservationCallbacks.adminCancel(r.reservation_id) }]) };
}

/**
 * The admin's side of reservations: /reservations lists the active ones with a cancel button each,
 * and the button under every reservation message cancels that one. Admins only; anyone else gets
 * a refusal and nothing changes.
 */
export function registerReservationAdminHandlers(bot: Bot, deps: { isAdmin(userId: number | undefined): boolean; offers: OffersRepository }): void {
  bot.command('reservations', async (ctx, next) => {
    if (!deps.isAdmin(ctx.from?.id)) return next();
    const items = await deps.offers.activeReservations(30);
    await ctx.reply(reservationAdminTexts.list(items), { ...html, reply_markup: cancelButtons(items) });
  });

  bot.on('callback_query', async (ctx, next) => {
    const action = reservationCallbacks.parse(ctx.callbackQuery?.data);
    if (action?.kind !== 'admin_cancel') return next();
    if (!deps.isAdmin(ctx.from?.id)) {
      await ctx.answerCallbackQuery({ text: reservationAdminTexts.adminOnly, show_alert: true });
      return;
    }
    const ended = await deps.offers.endReservation(action.key, null, 'admin');
    const message = ctx.callbackQuery?.message;
    if (message) {
      const text = ended.result === 'cancelled' ? reservationAdminTexts.cancelled(ended) : reservationAdminTexts.closed;
      await ctx.api.sendMessage({ chat_id: message.chat.id, text, ...html, reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true } });
      // The button goes away, so the same reservation is not cancelled twice by accident.
      await ctx.api.editMessageReplyMarkup({ chat_id: message.chat.id, message_id: message.message_id }).catch(() => undefined);
    }
    await ctx.answerCallbackQuery({ text: ended.result === 'cancelled' ? 'Бронь отменена' : 'Бронь уже закрыта' });
  });
}
