import type { MyRequest } from '../demand/demand-repository.ts';
import type { ReserveResult } from '../offers/offers-repository.ts';
import { escapeHtml as e } from '../../shared/html-escape.ts';
import { formatDateRu, formatRub } from '../../shared/russian-format.ts';

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

  reserve(r: ReserveResult) {
    switch (r.result) {
      case 'reserved':
        return `🟠 Забронировали для вас: ${e(r.artist)} — ${e(r.title)}.\nЦена: ${formatRub(r.price)}${r.code ? ` (промокод ${e(r.code)})` : ''}.\nБронь до ${formatDateRu(r.reserved_until ?? '')}. Мы свяжемся с вами для оплаты.`;
      case 'already_yours':
        return `Эта пластинка уже забронирована для вас до ${formatDateRu(r.reserved_until ?? '')}.`;
      case 'unavailable':
        return `😔 ${e(r.artist)} — ${e(r.title)} сейчас недоступна. Чтобы узнать о следующем экземпляре: /start want_${e(r.number)}`;
      default:
        return 'Такой пластинки не нашлось.';
    }
  },

  my(items: MyRequest[]) {
    if (items.length === 0) return 'У вас нет активных запросов. Нажмите «Уведомить о поступлении» на сайте.';
    const status: Record<string, string> = {
      active: 'ждём', notified: 'предложение отправлено', converted: 'куплено', expired: 'предложение истекло', unreachable: 'не удалось написать',
    };
    const lines = items.slice(0, 30).map((i) => {
      const offer = i.offer ? `\n   🔑 ${e(i.offer.code)}: ${formatRub(i.offer.price)} до ${formatDateRu(i.offer.expires_at)}` : '';
      return `• ${e(i.artist)} — ${e(i.title)}: ${e(status[i.status] ?? i.status)}${offer}`;
    });
    return `Ваши запросы:\n${lines.join('\n')}\n\n/stop — отписаться`;
  },

  stopped: (count: number) => (count > 0 ? `Отписали вас от ${e(count)} запросов. Передумаете — нажмите «Уведомить» на сайте снова.` : 'У вас не было активных запросов.'),

  offerGone(p: { artist: string; title: string }) {
    return `😔 ${e(p.artist)} — ${e(p.title)}: этот экземпляр уже забронировал другой покупатель, ваш промокод больше не действует.\nВы остаётесь в списке — напишем, когда появится следующий.`;
  },
};
