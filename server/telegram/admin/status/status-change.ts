import type { PublicRecord } from '../../../../shared/catalog-contract.ts';
import { escapeHtml as e } from '../../../../shared/html-escape.ts';
import { isOnSale, missingForSale, type RecordField } from '../../../../shared/record-fields.ts';
import { statusLabels, type ActiveStatus } from '../../../../shared/record-status.ts';
import { catalogColumns } from '../../../../shared/sheet-layout.ts';
import type { AdminRepository } from '../../../admin/admin-repository.ts';
import type { CatalogRepository } from '../../../catalog/catalog-repository.ts';

export type StatusOutcome =
  | { ok: true; record: PublicRecord; previous: ActiveStatus; status: ActiveStatus; offers: number }
  | { ok: false; number: string; reason: 'not_found' }
  | { ok: false; number: string; reason: 'missing'; record: PublicRecord; missing: RecordField[] };

/**
 * A status change from the bot, by the same rules as a sheet edit and the admin API: a record
 * going on sale needs genre, condition and price; the change itself is admin_set_status (offers
 * to those waiting, reservations and sales, the sheet's row through the outbox).
 */
export function createStatusChanger(deps: { catalog: CatalogRepository; admin: AdminRepository }) {
  return async (number: string, status: ActiveStatus): Promise<StatusOutcome> => {
    const record = await deps.catalog.get(number);
    if (!record) return { ok: false, number, reason: 'not_found' };
    const missing = isOnSale(record.status) ? [] : missingForSale(record, status);
    if (missing.length > 0) return { ok: false, number, reason: 'missing', record, missing };
    const result = await deps.admin.setStatus(record.id, { status, trigger_notifications: true });
    if (!result) return { ok: false, number, reason: 'not_found' };
    return { ok: true, record, previous: result.previous_status, status: result.record_status, offers: result.special_offers_created };
  };
}
export type StatusChanger = ReturnType<typeof createStatusChanger>;

const name = (r: Pick<PublicRecord, 'artist' | 'title'>) => `${e(r.artist)} — ${e(r.title)}`;

/** One line per outcome, for /status, /bulk_status and the confirm buttons. */
export function outcomeLine(o: StatusOutcome): string {
  if (!o.ok && o.reason === 'not_found') return `❌ №${e(o.number)}: нет в каталоге`;
  if (!o.ok) return `❌ №${e(o.record.number)} ${name(o.record)}: не заполнено ${e(o.missing.map((f) => catalogColumns[f]).join(', '))}`;
  const same = o.previous === o.status;
  return `✅ №${e(o.record.number)} ${name(o.record)}: ${same ? `уже ${e(statusLabels[o.status])}` : `${e(statusLabels[o.previous])} → ${e(statusLabels[o.status])}`}`;
}

export function outcomeText(o: StatusOutcome): string {
  const lines = [outcomeLine(o)];
  if (o.ok && o.status === 'available' && o.previous !== 'available') lines.push(`Предложений ожидающим покупателям: ${o.offers}`);
  if (!o.ok && o.reason === 'missing') lines.push(`Заполните поля в карточке (/record_${o.record.number}) или в таблице, потом повторите.`);
  return lines.join('\n');
}
