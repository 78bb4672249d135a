import type { PublicRecord } from '../../../../shared/catalog-contract.ts';
import { escapeHtml as e } from '../../../../shared/html-escape.ts';
import { statusLabels } from '../../../../shared/record-status.ts';
import { formatRub } from '../../../../shared/russian-format.ts';
import { statusCodes } from '../admin-words.ts';
import { recordUrl } from '../../../../site/site-urls.ts';
import { button, urlButton, type Screen } from '../admin-ui.ts';

const shortLabel = { available: '🟢 В наличии', reserved: '🟠 Резерв', sold: '🔴 Продана', procurement: '🟡 Закупка', search_request: '🟡 Запрос' } as const;

/** The record card: every field, and buttons to change it. Callback data: `r:<number>:<action>`. */
export function recordCardScreen(r: PublicRecord, publicSiteUrl: string): Screen {
  const field = (label: string, value: unknown) => `${label}: ${value === null || value === undefined || value === '' ? '—' : e(value)}`;
  const lines = [
    `💿 <b>№${e(r.number)} ${e(r.artist)} — ${e(r.title)}</b>`,
    '',
    field('Статус', statusLabels[r.status as keyof typeof statusLabels] ?? r.status),
    field('Год', r.year),
    field('Жанр', r.genre),
    field('Лейбл', r.label),
    field('Страна', r.country),
    field('Состояние', r.condition),
    `Цена: ${formatRub(r.price)}`,
    field('Ждут покупателей', r.preorder.count),
    r.image_url ? `Фото: <a href="${e(r.image_url)}">открыть</a>` : 'Фото: —',
    field('SEO-заголовок', r.seo_title),
  ];
  if (r.description) lines.push('', `<i>${e(r.description.length > 600 ? `${r.description.slice(0, 600)}…` : r.description)}</i>`);
  const statusRow = (['available', 'reserved', 'sold'] as const)
    .filter((s) => s !== r.status)
    .map((s) => button(shortLabel[s], 'r', r.number, 'st', statusCodes[s]));
  return {
    text: lines.join('\n'),
    keyboard: [
      statusRow,
      [button('💰 Цена', 'r', r.number, 'ed', 'price'), button('🏷 Состояние', 'r', r.number, 'ed', 'condition')],
      [button('🤖 ИИ-описание заново', 'r', r.number, 'ai'), button('📨 Разослать предложения', 'r', r.number, 'of')],
      [button('🕓 История', 'r', r.number, 'h', 0), urlButton('🌐 Страница', recordUrl(publicSiteUrl, r))],
      [button('🏠 Меню', 'm', 'menu')],
    ],
  };
}

/** Search results: one button per record, paged. Callback data keeps the query (cut to fit 64 bytes). */
export function searchResultsScreen(query: string, page: { total: number; records: PublicRecord[] }, offset: number, pageSize: number, pagingQuery: string): Screen {
  if (page.records.length === 0) {
    return { text: `По запросу «${e(query)}» ничего не нашлось. Попробуйте иначе: часть названия или исполнителя.`, keyboard: [[button('➕ Добавить пластинку', 'm', 'add'), button('🏠 Меню', 'm', 'menu')]] };
  }
  const lines = [`🔍 «${e(query)}»: найдено ${page.total}`, ''];
  const keyboard = page.records.map((r) => [
    button(`№${r.number} ${r.artist} — ${r.title}`.slice(0, 60), 'r', r.number, 'v'),
  ]);
  page.records.forEach((r) => lines.push(`№${e(r.number)} ${e(r.artist)} — ${e(r.title)} · ${e(shortLabel[r.status as keyof typeof shortLabel] ?? r.status)} · ${formatRub(r.price)}`));
  const nav = [];
  if (offset > 0) nav.push(button('⬅️', 'sp', Math.max(0, offset - pageSize), pagingQuery));
  if (offset + pageSize < page.total) nav.push(button('➡️', 'sp', offset + pageSize, pagingQuery));
  if (nav.length > 0) keyboard.push(nav);
  keyboard.push([button('🏠 Меню', 'm', 'menu')]);
  return { text: lines.join('\n'), keyboard };
}
