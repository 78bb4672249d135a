import type { RecordChange } from '../../../../shared/audit-contract.ts';
import type { PublicRecord } from '../../../../shared/catalog-contract.ts';
import { escapeHtml as e } from '../../../../shared/html-escape.ts';
import { historyLine } from '../../../audit/history-text.ts';
import { button, type Screen } from '../admin-ui.ts';

export const historyPageSize = 5;

/**
 * «🕓 История» of the record card: the audit trail (record_changes), newest first, a page at a
 * time. `changes` holds at least the page and one more when there is an older page.
 * Callback data `r:<number>:h:0` (from the card), `r:<number>:hp:<offset>` (paging in place).
 */
export function recordHistoryScreen(r: Pick<PublicRecord, 'number' | 'artist' | 'title'>, changes: RecordChange[], offset: number): Screen {
  const page = changes.slice(offset, offset + historyPageSize);
  const title = `🕓 <b>История №${e(r.number)} ${e(r.artist)} — ${e(r.title)}</b>`;
  if (page.length === 0) return { text: `${title}\n\nИзменений пока нет.`, keyboard: [[button('💿 Карточка', 'r', r.number, 'v')]] };
  const lines = [title, `Изменения ${offset + 1}–${offset + page.length}, сначала новые:`, '', ...page.map(historyLine)];
  const nav = [];
  if (offset > 0) nav.push(button('⬅️ Новее', 'r', r.number, 'hp', Math.max(0, offset - historyPageSize)));
  if (changes.length > offset + historyPageSize) nav.push(button('Старее ➡️', 'r', r.number, 'hp', offset + historyPageSize));
  return { text: lines.join('\n'), keyboard: [...(nav.length > 0 ? [nav] : []), [button('💿 Карточка', 'r', r.number, 'v'), button('🏠 Меню', 'm', 'menu')]] };
}
