import type { PublicRecord } from '../../shared/catalog-contract.ts';
import type { RecordField } from '../../shared/record-fields.ts';
import { statusLabels, type ActiveStatus } from '../../shared/record-status.ts';
import { catalogColumns } from '../../shared/sheet-layout.ts';
import { escapeHtml as e } from '../../shared/html-escape.ts';
import { formatDateRu, formatRub } from '../../shared/russian-format.ts';

/** Telegram HTML for the admin's messages; every value from the database is escaped. */

interface RecordRef {
  number?: number;
  title?: string;
  artist?: string;
  year?: number | null;
}

const recordLine = (r: RecordRef) => `${e(r.artist ?? '')} — ${e(r.title ?? '')}${r.year ? ` (${e(r.year)})` : ''}`;

export function procurementText(p: RecordRef & { demand: number; total_demand: number; trend_3d: number; price: number | null }): string {
  const lines = [
    '🎯 <b>НОВАЯ ЗАДАЧА НА ЗАКУПКУ</b>',
    '',
    recordLine(p),
    '',
    `👥 Спрос: ${e(p.demand)} подтверждённых покупателей${p.total_demand > p.demand ? ` (и ещё ${e(p.total_demand - p.demand)} без Telegram)` : ''}`,
  ];
  // Estimated revenue: every waiting person buys at the 25%-off pre-order price.
  if (p.price !== null && p.price !== undefined) lines.push(`💰 Потенциальная выручка: ~${formatRub(p.demand * Number(p.price) * 0.75)}`);
  lines.push(`📈 Тренд: +${e(p.trend_3d)} за последние 3 дня`, '', 'Найдите эту пластинку и добавьте в каталог.', '');
  lines.push(`/mark_found_${e(p.number)} — отметить как найденную`, `/view_details_${e(p.number)} — детали запроса`);
  return lines.join('\n');
}

export function reservationText(p: RecordRef & { chat_id: number; contact: string | null; price: number | null; code: string | null; reserved_until: string }): string {
  return [
    '🟠 <b>БРОНЬ</b>',
    '',
    recordLine(p),
    `Покупатель: <a href="tg://user?id=${e(p.chat_id)}">${e(p.contact ?? String(p.chat_id))}</a>`,
    `Цена: ${formatRub(p.price)}${p.code ? ` (промокод ${e(p.code)})` : ''}`,
    `Бронь до ${formatDateRu(p.reserved_until)}`,
    '',
    'Свяжитесь с покупателем; после оплаты поставьте статус 🔴 Sold.',
  ].join('\n');
}

export function genericEventText(type: string, details: string): string {
  const titles: Record<string, string> = {
    offers_blocked: '⚠️ <b>ПРЕДЛОЖЕНИЯ НЕ ОТПРАВЛЕНЫ</b>',
    search_request: '📬 <b>НОВЫЙ ЗАПРОС</b>',
  };
  return `${titles[type] ?? `ℹ️ <b>${e(type)}</b>`}\n\n${e(details)}`;
}

interface DigestRequest extends RecordRef {
  new_verified: number;
  new_unverified: number;
  demand: number;
  total_demand: number;
}

/** A title asked for without a Telegram login (demand_pending): no record yet. */
interface DigestPendingTitle {
  title: string;
  artist: string;
  count: number;
}

/** «1 запрос», «3 запроса», «12 запросов». */
const requestsWord = (n: number) => {
  const mod10 = n % 10;
  const mod100 = n % 100;
  return mod10 === 1 && mod100 !== 11 ? 'запрос' : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? 'запроса' : 'запросов';
};

export function digestText(p: { requests: DigestRequest[]; events: Array<{ type: string; details: string }>; pending?: DigestPendingTitle[] }): string {
  const lines: string[] = [];
  const pending = p.pending ?? [];
  if (p.requests.length > 0) {
    lines.push('📬 <b>НОВЫЕ ЗАПРОСЫ</b>', '');
    for (const r of p.requests.slice(0, 30)) {
      const added = r.new_verified + r.new_unverified;
      lines.push(`🎵 ${recordLine(r)}: +${e(added)}${r.new_unverified > 0 ? ` (${e(r.new_unverified)} без Telegram)` : ''}, всего ${e(r.demand)}/${e(r.total_demand)} — /view_details_${e(r.number)}`);
    }
    if (p.requests.length > 30) lines.push(`…и ещё ${e(p.requests.length - 30)}`);
  }
  if (pending.length > 0) {
    // No record until someone with Telegram asks too, or the admin adds the title.
    const total = pending.reduce((sum, t) => sum + t.count, 0);
    if (lines.length > 0) lines.push('');
    lines.push(`❔ <b>Без подтверждения: ${e(total)} ${requestsWord(total)} новых названий</b>`, '');
    for (const t of pending.slice(0, 20)) lines.push(`• ${e(t.artist)} — ${e(t.title)}${t.count > 1 ? `: ${e(t.count)}` : ''}`);
    if (pending.length > 20) lines.push(`…и ещё ${e(pending.length - 20)} (GET /api/admin/notifications)`);
  }
  if (p.events.length > 0) {
    if (lines.length > 0) lines.push('');
    lines.push('⚠️ <b>ТРЕБУЕТ ВНИМАНИЯ</b>', '');
    for (const ev of p.events.slice(0, 20)) lines.push(`• ${e(ev.details)}`);
    if (p.events.length > 20) lines.push(`…и ещё ${e(p.events.length - 20)} (GET /api/admin/notifications)`);
  }
  return lines.join('\n');
}

const statusLabel = (status: string) => statusLabels[status as ActiveStatus] ?? status;

/** Replies to the admin's record commands (/mark_found_<n>, /view_details_<n>). */
export const adminTexts = {
  adminOnly: 'Эта команда доступна только администратору магазина.',
  noRecord: (number: string) => `Пластинки №${e(number)} нет в каталоге.`,
  /** What the record lacks before it may go on sale (shared/record-fields.ts forSaleFields), by column header. */
  needsSaleFields: (r: PublicRecord, missing: readonly RecordField[]) =>
    `У пластинки №${e(r.number)} ${recordLine(r)} не заполнены: ${missing.map((f) => e(catalogColumns[f])).join(', ')}. Заполните их в таблице (лист «Справочник») и поставьте статус «${e(statusLabels.available)}» — тогда ожидающие получат предложения.`,
  markedFound: (r: PublicRecord, offers: number) =>
    `✅ №${e(r.number)} ${recordLine(r)} → ${e(statusLabels.available)}\nПерсональных предложений: ${e(offers)}`,
  details: (r: PublicRecord) =>
    [
      `<b>№${e(r.number)}</b> ${recordLine(r)}`,
      `Статус: ${e(statusLabel(r.status))}`,
      `Цена: ${formatRub(r.price)}`,
      `Спрос: ${e(r.preorder.count)} (порог ${e(r.preorder.minimum)})`,
      `Последний интерес: ${r.preorder.last_interest_at ? formatDateRu(r.preorder.last_interest_at) : '—'}`,
    ].join('\n'),
};
