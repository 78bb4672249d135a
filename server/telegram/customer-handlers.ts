import type { Bot, Context } from 'node-telegram-bot-api';
import type { InlineKeyboardMarkup } from 'node-telegram-bot-api';
import type { CatalogRepository } from '../catalog/catalog-repository.ts';
import { isRefusal } from '../demand/demand-refusal.ts';
import type { DemandRepository, Participant } from '../demand/demand-repository.ts';
import type { ActiveReservation, OffersRepository, ReserveResult } from '../offers/offers-repository.ts';
import { customerTexts } from './customer-texts.ts';
import { reservationCallbacks } from './reservation-callbacks.ts';

export interface CustomerHandlerDeps {
  catalog: CatalogRepository;
  demand: DemandRepository;
  offers: OffersRepository;
}

const html = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };

/** The person behind a private chat: verified by Telegram itself, reachable in this chat. */
function participantOf(ctx: Context): Participant | null {
  if (!ctx.from || ctx.chat?.type !== 'private') return null;
  return { key: `tg:${ctx.from.id}`, verified: true, chatId: ctx.chat.id, contact: ctx.from.username ? `@${ctx.from.username}` : null, source: 'telegram' };
}

/** The button that goes with an answer about reserving: confirm, or join the queue. */
function reserveKeyboard(r: ReserveResult): InlineKeyboardMarkup | undefined {
  if (r.result === 'can_reserve') return { inline_keyboard: [[{ text: '✅ Забронировать', callback_data: reservationCallbacks.confirm(r.number!) }]] };
  if (r.result === 'exclusive') return { inline_keyboard: [[{ text: '🔔 Встать в очередь', callback_data: reservationCallbacks.join(r.number!) }]] };
  return undefined;
}

const short = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function cancelKeyboard(items: ActiveReservation[]): InlineKeyboardMarkup | undefined {
  if (items.length === 0) return undefined;
  return {
    inline_keyboard: items.map((i) => [{ text: `❌ Отменить: ${short(`${i.artist} — ${i.title}`, 40)}`, callback_data: reservationCallbacks.customerCancel(i.reservation_id) }]),
  };
}

/**
 * Customer commands: /start want_<record>, /start buy_<record>, /my, /stop, and the buttons of
 * reserving. A deep link never reserves by itself: buy_ (and want_ on a record in stock) answers
 * with what reserving would do and a confirm button; the database checks every rule again then.
 */
export function registerCustomerHandlers(bot: Bot, deps: CustomerHandlerDeps): void {
  async function showPreview(ctx: Context, recordKey: string, chatId: number) {
    const preview = await deps.offers.previewReservation(recordKey, chatId);
    await ctx.reply(customerTexts.reservePreview(preview), { ...html, reply_markup: reserveKeyboard(preview) });
  }

  bot.command('start', async (ctx) => {
    const who = participantOf(ctx);
    if (!who) return;
    const payload = String(ctx.match ?? '').trim();
    const want = /^want_([0-9a-fA-F-]{1,36})$/.exec(payload);
    const buy = /^buy_([0-9a-fA-F-]{1,36})$/.exec(payload);
    if (want) {
      const record = await deps.catalog.get(want[1]!);
      if (!record) {
        await ctx.reply(customerTexts.notFound, html);
        return;
      }
      // In stock: offer to buy it instead of a waiting list. The list is the answer only while the
      // copy is the waiting holders' or has no price yet.
      const preview = record.status === 'available' ? await deps.offers.previewReservation(String(record.number), who.chatId!) : null;
      if (preview && preview.result !== 'exclusive' && preview.result !== 'no_price') {
        await ctx.reply(customerTexts.reservePreview(preview), { ...html, reply_markup: reserveKeyboard(preview) });
        return;
      }
      const result = await deps.demand.register(record.id, who);
      if (!result) await ctx.reply(customerTexts.notFound, html);
      else if (isRefusal(result)) await ctx.reply(customerTexts.demandRefused(result), html);
      else if (preview) await ctx.reply(`${customerTexts.reserve(preview)}\n\n${customerTexts.joinedQueue(result)}`, html);
      else await ctx.reply(customerTexts.registered(result), html);
      return;
    }
    if (buy) {
      await showPreview(ctx, buy[1]!, who.chatId!);
      return;
    }
    const pending = /^req_([0-9a-f]{32})$/.exec(payload);
    if (pending) {
      // A website request kept unverified: from Telegram it is a verified person's request.
      const title = await deps.demand.pendingTitle(pending[1]!.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5'));
      const result = title ? await deps.demand.searchRequest(title, who) : null;
      if (!result || 'pending' in result) await ctx.reply(customerTexts.notFound, html);
      else if (isRefusal(result)) await ctx.reply(customerTexts.demandRefused(result), html);
      else await ctx.reply(customerTexts.registered(result), html);
      return;
    }
    await ctx.reply(customerTexts.welcome, html);
  });

  bot.command('my', async (ctx) => {
    if (ctx.chat?.type !== 'private' || ctx.chatId === undefined) return;
    const [requests, reservations] = await Promise.all([deps.demand.my(ctx.chatId), deps.offers.myReservations(ctx.chatId)]);
    await ctx.reply(customerTexts.my(requests, reservations), { ...html, reply_markup: cancelKeyboard(reservations) });
  });

  bot.command('stop', async (ctx) => {
    if (ctx.chat?.type !== 'private' || ctx.chatId === undefined) return;
    const { cancelled } = await deps.demand.stop(ctx.chatId);
    await ctx.reply(customerTexts.stopped(cancelled), html);
  });

  // The buttons: confirm a reservation, join the queue, cancel one's own reservation.
  bot.on('callback_query', async (ctx, next) => {
    const action = reservationCallbacks.parse(ctx.callbackQuery?.data);
    if (!action || action.kind === 'admin_cancel') return next();
    const who = participantOf(ctx);
    const message = ctx.callbackQuery?.message;
    if (!who || !message || message.chat.id !== who.chatId) {
      await ctx.answerCallbackQuery({ text: 'Эта кнопка работает только в личном чате с ботом.' });
      return;
    }
    // The answer replaces the question, so the button cannot be pressed twice by accident.
    const answer = (text: string, reply_markup?: InlineKeyboardMarkup) =>
      ctx.api.editMessageText({ chat_id: message.chat.id, message_id: message.message_id, text, ...html, reply_markup });

    if (action.kind === 'confirm') {
      const result = await deps.offers.reserve(action.key, who.chatId!, who.contact);
      await answer(customerTexts.reserve(result), reserveKeyboard(result));
      const note = result.result === 'reserved' ? 'Забронировано' : result.result === 'offer_paused' ? 'Пластинка пока занята, вы в очереди' : 'Не получилось забронировать';
      await ctx.answerCallbackQuery({ text: note });
      return;
    }
    if (action.kind === 'join') {
      const record = await deps.catalog.get(action.key);
      const result = record ? await deps.demand.register(record.id, who) : null;
      await answer(!result ? customerTexts.notFound : isRefusal(result) ? customerTexts.demandRefused(result) : customerTexts.joinedQueue(result));
      await ctx.answerCallbackQuery();
      return;
    }
    const ended = await deps.offers.endReservation(action.key, who.chatId!, 'customer');
    const left = await deps.offers.myReservations(who.chatId!);
    await answer(customerTexts.reservationEnded(ended), cancelKeyboard(left));
    await ctx.answerCallbackQuery({ text: ended.result === 'cancelled' ? 'Бронь отменена' : 'Бронь уже закрыта' });
  });

  // The person blocked the bot: stop counting on reaching them (a later /start reactivates).
  bot.on('my_chat_member', async (ctx, next) => {
    const update = 'my_chat_member' in ctx.update ? ctx.update.my_chat_member : undefined;
    if (update?.chat.type === 'private' && update.new_chat_member.status === 'kicked') await deps.demand.markUnreachable(update.chat.id);
    return next();
  });
}
