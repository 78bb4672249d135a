import type { InlineKeyboardMarkup } from 'node-telegram-bot-api';
import { botDeepLink, buyPayload } from '../demand/deep-links.ts';
import { builtInOfferTemplate, offerTemplateType } from '../../shared/notification-templates.ts';
import { renderOfferTemplate, templateIsUsable } from '../offers/offer-template.ts';
import type { OffersRepository } from '../offers/offers-repository.ts';
import { digestText, genericEventText, procurementText, reservationText } from './admin-texts.ts';
import { customerTexts } from './customer-texts.ts';
import { escapeHtml } from '../../shared/html-escape.ts';
import { demandCallbacks } from './demand-callbacks.ts';
import { reservationCallbacks } from './reservation-callbacks.ts';
import { recordUrl as siteRecordUrl } from '../../site/site-urls.ts';

/** Admin events of reservations and demand limits, with their own headings. */
const eventTitles: Record<string, string> = {
  reservation_cancelled: '❌ <b>БРОНЬ ОТМЕНЕНА ПОКУПАТЕЛЕМ</b>',
  demand_budget: '🚨 <b>ЛИМИТ ЗАПРОСОВ ИСЧЕРПАН</b>',
  request_joined: '🔗 <b>ЗАПРОС ПОКУПАТЕЛЕЙ ПРИСОЕДИНЁН</b>',
  request_maybe: '❓ <b>ПОХОЖЕ НА ЗАПРОС ПОКУПАТЕЛЕЙ</b>',
};

/** A queued message as delivery_claim hands it out. */
export interface DeliveryJob {
  id: number;
  kind: 'offer' | 'offer_gone' | 'offer_held' | 'offer_again' | 'reservation_ended' | 'admin_event' | 'admin_digest' | 'notice';
  chat_id: number;
  offer_id: string | null;
  participant_id: string | null;
  payload: Record<string, any>;
  attempts: number;
}

export interface RenderedMessage {
  text: string;
  reply_markup?: InlineKeyboardMarkup;
}

/**
 * Turns a queued job into Telegram HTML at send time. The offer template comes from
 * Настройки_уведомлений (cached briefly: one read per fan-out, not per message).
 */
export function createDeliveryRenderer(deps: { offers: OffersRepository; publicSiteUrl: string; botUsername?: string; templateTtlMs?: number }) {
  let cached: { body: string; at: number } | null = null;
  const ttl = deps.templateTtlMs ?? 30_000;

  async function offerTemplate(): Promise<string> {
    if (cached && Date.now() - cached.at < ttl) return cached.body;
    const stored = await deps.offers.template(offerTemplateType).catch(() => null);
    const body = stored && stored.active && templateIsUsable(stored.body) ? stored.body : builtInOfferTemplate;
    cached = { body, at: Date.now() };
    return body;
  }

  return async function render(job: DeliveryJob): Promise<RenderedMessage> {
    const p = job.payload;
    switch (job.kind) {
      case 'offer': {
        const recordUrl = `${siteRecordUrl(deps.publicSiteUrl, { number: Number(p.number), slug: p.slug })}?promo=${encodeURIComponent(p.code)}`;
        const text = renderOfferTemplate(await offerTemplate(), {
          artist: p.artist, title: p.title, original_price: p.original_price, price: p.price, code: p.code, expires_at: p.expires_at, record_url: recordUrl,
        });
        const buy = botDeepLink(deps.botUsername, buyPayload(p.number));
        return buy ? { text, reply_markup: { inline_keyboard: [[{ text: '🛒 Купить сейчас', url: buy }]] } } : { text };
      }
      case 'offer_gone':
        return { text: customerTexts.offerGone({ artist: p.artist, title: p.title }) };
      case 'offer_held':
        return { text: customerTexts.offerHeld({ artist: p.artist, title: p.title }) };
      case 'offer_again': {
        const text = customerTexts.offerAgain({ artist: p.artist, title: p.title, code: p.code, price: p.price, expires_at: p.expires_at });
        const buy = botDeepLink(deps.botUsername, buyPayload(p.number));
        return buy ? { text, reply_markup: { inline_keyboard: [[{ text: '🛒 Купить сейчас', url: buy }]] } } : { text };
      }
      case 'reservation_ended':
        return { text: customerTexts.reservationEndedByShop({ by: p.by, artist: p.artist, title: p.title }) };
      case 'admin_digest':
        return { text: digestText({ requests: p.requests ?? [], events: p.events ?? [], pending: p.pending ?? [] }) };
      case 'admin_event':
        // Sent outside the queue and refused before the admin's Start (held-admin-messages.ts): as it was.
        if (p.type === 'message') return { text: String(p.html ?? ''), ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}) };
        if (p.type === 'procurement') return { text: procurementText(p as never) };
        if (p.type === 'reservation') {
          // The admin can cancel it from the message (reservation-admin-handlers.ts).
          const cancel = typeof p.reservation_id === 'string'
            ? { reply_markup: { inline_keyboard: [[{ text: '❌ Отменить бронь', callback_data: reservationCallbacks.adminCancel(p.reservation_id) }]] } }
            : {};
          return { text: reservationText(p as never), ...cancel };
        }
        if (p.type === 'request_maybe' && p.request?.number && p.number) {
          // The admin answers from the message: join the request to the new record, or leave them apart.
          return {
            text: `${eventTitles.request_maybe}\n\n${escapeHtml(String(p.details ?? ''))}`,
            reply_markup: { inline_keyboard: [[{ text: '🔗 Объединить', callback_data: demandCallbacks.join(p.number, p.request.number) }]] },
          };
        }
        if (eventTitles[p.type]) return { text: `${eventTitles[p.type]}\n\n${escapeHtml(String(p.details ?? ''))}` };
        return { text: genericEventText(String(p.type), String(p.details ?? '')) };
      default:
        return { text: String(p.html ?? '') };
    }
  };
}
export type DeliveryRenderer = ReturnType<typeof createDeliveryRenderer>;
