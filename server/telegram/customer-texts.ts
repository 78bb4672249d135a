import type { DemandRefusal, MyRequest } from '../demand/demand-repository.ts';
import type { ActiveReservation, EndReservationResult, ReserveResult } from '../offers/offers-repository.ts';
import { escapeHtml as e } from '../../shared/html-escape.ts';
import { formatDateRu, formatRub } from '../../shared/russian-format.ts';

/** DD.MM.YYYY HH:MM, Moscow time: an exclusive window ends at an hour, not a day. */
const dateTimeRu = (iso: string) =>
  `${formatDateRu(iso)} ${new Date(iso).toLocaleTimeString('ru-RU', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' })}`;

const recordName = (r: { artist?: string; title?: string }) => `${e(r.artist ?? '')} — ${e(r.title ?? '')}`;

/** Short Russian replies of the customer bot, as Telegram HTML. */
export const customerTexts = {
  welcome:
    'Здравствуйте! Это бот магазина винила.\n\nНажмите «Уведомить о поступлении» на сайте — и мы напишем сюда, когда пластинка появится, с персональной скидкой.\n\n/my — ваши запросы\n/stop — отписаться',
  notFound: 'Такой пластинки не нашлось. Попробуйте ещё раз с сайта.',
  help: '/my — ваши запросы и предложения\n/stop — отписаться от уведомлений',

  registered(r: { title: string; artist: string; record_status: string; preorder_count: number; added: boolean; number: number }) {
    if (r.record_status === 'available') {
      return `🟢 ${e(r.artist)} — ${e(r.title)} уже в наличии!\nЧтобы забронировать: /start buy_${e(r.number)}`;
    }
    const head = r.added ? '✅ Записали' : '✅ Вы уже в списке';
    return `${head}: ${e(r.artist)} — ${e(r.title)}.\nНапишем, как только пластинка появится. Ждут: ${e(r.preorder_count)}.`;
  },

  /** The answer to /start buy_ (and want_ on a record in stock): what the confirm button will do. */
  reservePreview(r: ReserveResult): string {
    if (r.result !== 'can_reserve') return customerTexts.reserve(r);
    const price = r.code
      ? `${formatRub(r.price)} по вашему промокоду ${e(r.code)} (вместо ${formatRub(r.original_price)})`
      : formatRub(r.price);
    return `🛒 ${recordName(r)}\nЦена: ${price}.\nБронь держится ${e(r.reservation_days)} дн.; мы свяжемся с вами для оплаты.\n\nЗабронировать?`;
  },

  reserve(r: ReserveResult): string {
    switch (r.result) {
      case 'reserved':
        return `🟠 Забронировали для вас: ${recordName(r)}.\nЦена: ${formatRub(r.price)}${r.code ? ` (промокод ${e(r.code)})` : ''}.\nБронь до ${formatDateRu(r.reserved_until ?? '')}. Мы свяжемся с вами для оплаты.\nОтменить бронь: /my`;
      case 'already_yours':
        return `Эта пластинка уже забронирована для вас до ${formatDateRu(r.reserved_until ?? '')}.`;
      case 'offer_paused':
        return `⏸ ${recordName(r)}: этот экземпляр сейчас забронировал другой покупатель. Ваше предложение${r.code ? ` (промокод ${e(r.code)})` : ''} сохранено, и вы в очереди: если бронь отменят или она истечёт, мы сразу напишем, и вы сможете купить пластинку.`;
      case 'unavailable':
        return `😔 ${recordName(r)} сейчас недоступна. Чтобы узнать о следующем экземпляре: /start want_${e(r.number)}`;
      case 'no_price':
        return `${recordName(r)}: цена ещё не назначена, поэтому забронировать пластинку пока нельзя. Загляните чуть позже.`;
      case 'exclusive':
        return `⏳ ${recordName(r)} до ${dateTimeRu(r.exclusive_until ?? '')} (МСК) достаётся тем, кто её ждал и получил предложение.`;
      case 'limit':
        return `У вас уже ${e(r.limit)} активных брони — больше держать одновременно нельзя. Отменить ненужную можно в /my.`;
      case 'can_reserve':
        return customerTexts.reservePreview(r);
      default:
        return 'Такой пластинки не нашлось.';
    }
  },

  joinedQueue(r: { title: string; artist: string; added: boolean }) {
    return `${r.added ? '✅ Записали вас в очередь' : '✅ Вы уже в очереди'}: ${recordName(r)}. Напишем, когда её можно будет купить.`;
  },

  demandRefused(r: DemandRefusal) {
    if (r.error === 'person_limit') return `Сегодня вы уже оставили ${e(r.limit)} запросов — это максимум на день. Попробуйте завтра.`;
    return 'Сейчас мы не принимаем новые запросы на это название. Попробуйте через час.';
  },

  reservationEnded(r: EndReservationResult) {
    if (r.result === 'cancelled') return `Бронь отменена: ${recordName(r)}. Пластинка снова доступна другим покупателям.`;
    if (r.result === 'closed') return `Эта бронь уже закрыта: ${recordName(r)}.`;
    return 'Такой брони не нашлось.';
  },

  /** Sent when the admin cancelled the reservation or it ran out. */
  reservationEndedByShop(p: { by: string; artist: string; title: string }) {
    return p.by === 'expiry'
      ? `⌛ Срок брони истёк: ${recordName(p)}. Пластинка снова в продаже.`
      : `Магазин отменил вашу бронь: ${recordName(p)}. Если это ошибка — просто напишите нам.`;
  },

  reservations(items: ActiveReservation[]) {
    if (items.length === 0) return '';
    const lines = items.map((i) => `• 🟠 ${recordName(i)}: ${formatRub(i.price)}, бронь до ${formatDateRu(i.reserved_until)}`);
    return `Ваши брони:\n${lines.join('\n')}`;
  },

  my(items: MyRequest[], reservations: ActiveReservation[] = []) {
    const held = customerTexts.reservations(reservations);
    if (items.length === 0) return held ? `${held}\n\n/stop — отписаться` : 'У вас нет активных запросов. Нажмите «Уведомить о поступлении» на сайте.';
    const status: Record<string, string> = {
      active: 'ждём', notified: 'предложение отправлено', converted: 'куплено', expired: 'предложение истекло', unreachable: 'не удалось написать',
    };
    const lines = items.slice(0, 30).map((i) => {
      const offer = i.offer ? `\n   🔑 ${e(i.offer.code)}: ${formatRub(i.offer.price)} до ${formatDateRu(i.offer.expires_at)}` : '';
      return `• ${e(i.artist)} — ${e(i.title)}: ${e(status[i.status] ?? i.status)}${offer}`;
    });
    return `${held ? `${held}\n\n` : ''}Ваши запросы:\n${lines.join('\n')}\n\n/stop — отписаться`;
  },

  stopped: (count: number) => (count > 0 ? `Отписали вас от ${e(count)} запросов. Передумаете — нажмите «Уведомить» на сайте снова.` : 'У вас не было активных запросов.'),

  offerGone(p: { artist: string; title: string }) {
    return `😔 ${recordName(p)}: этот экземпляр купил другой покупатель, ваш промокод больше не действует.\nВы остаётесь в списке — напишем, когда появится следующий.`;
  },

  offerHeld(p: { artist: string; title: string }) {
    return `⏸ ${recordName(p)}: этот экземпляр забронировал другой покупатель. Ваш промокод не пропадает: если бронь отменят, он снова заработает — мы напишем.`;
  },

  offerAgain(p: { artist: string; title: string; code: string; price: number; expires_at: string }) {
    return `🟢 ${recordName(p)} снова свободна! Ваш промокод ${e(p.code)} действует: ${formatRub(p.price)} до ${formatDateRu(p.expires_at)}.`;
  },
};
