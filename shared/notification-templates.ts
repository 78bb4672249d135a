/**
 * Message templates the admin edits in Настройки_уведомлений. The server renders them
 * (server/offers/offer-template.ts); the add-on puts the defaults into a new worksheet so the
 * admin starts from a working text.
 */

/** The worksheet type (Настройки_уведомлений, column Тип_уведомления) of the pre-order offer. */
export const offerTemplateType = 'special_offer';

/** Used when the sheet has no active special_offer template. */
export const builtInOfferTemplate = [
  '🎉 **ЭКСКЛЮЗИВНОЕ ПРЕДЛОЖЕНИЕ**',
  '',
  '{artist} — {title}',
  '',
  'Вы одними из первых проявили интерес к этой пластинке. Теперь она в наличии, и для вас — специальная цена:',
  '',
  '~~{original_price}~~ → **{discount_price}**',
  '',
  '⏰ Предложение действует до {expires_date}',
  '🔑 Промокод: {discount_code}',
  '',
  '[Купить сейчас]({record_url})',
].join('\n');

/** Rows «Настроить листы» adds to an empty Настройки_уведомлений. */
export const defaultTemplates = [
  { type: offerTemplateType, title: 'Спецпредложение для участников предзаказа', body: builtInOfferTemplate, active: true },
];

/** The placeholders an offer template may use (server/offers/offer-template.ts fills them). */
export const offerTemplatePlaceholders = ['artist', 'title', 'original_price', 'discount_price', 'discount_code', 'expires_date', 'record_url'] as const;

/**
 * What is wrong with a template text, in Russian, for the admin (the bot refuses such an edit):
 * unknown placeholders, markup without its pair, links that are not http(s), HTML tags (the text
 * is plain: they would show as typed), no {discount_code}, too long.
 */
export function templateProblems(body: string): string[] {
  const problems: string[] = [];
  if (body.trim() === '') return ['Текст шаблона пустой.'];
  if (body.length > 4000) problems.push('Текст длиннее 4000 символов.');
  const known = new Set<string>(offerTemplatePlaceholders);
  const unknown = [...new Set([...body.matchAll(/\{([^{}\s]*)\}/g)].map((m) => m[1]!).filter((name) => !known.has(name)))];
  if (unknown.length > 0) problems.push(`Неизвестные подстановки: ${unknown.map((n) => `{${n}}`).join(', ')}. Можно: ${offerTemplatePlaceholders.map((n) => `{${n}}`).join(', ')}.`);
  if (/[{}]/.test(body.replace(/\{[^{}\s]*\}/g, ''))) problems.push('Непарная фигурная скобка: подстановка пишется как {title}.');
  if (!body.includes('{discount_code}')) problems.push('Нет {discount_code}: без промокода предложение не работает.');
  if (/<\/?[a-z][^>]*>/i.test(body)) problems.push('HTML-теги не нужны: жирный — **так**, зачёркнутый — ~~так~~, ссылка — [текст](https://…).');
  for (const line of body.split('\n')) {
    if ((line.match(/\*\*/g)?.length ?? 0) % 2 === 1) problems.push(`Непарные ** в строке «${line.trim()}».`);
    if ((line.match(/~~/g)?.length ?? 0) % 2 === 1) problems.push(`Непарные ~~ в строке «${line.trim()}».`);
  }
  for (const link of body.matchAll(/\[([^\]\n]*)\]\(([^)\n]*)\)/g)) {
    if (!/^(https?:\/\/\S+|\{record_url\})$/.test(link[2]!)) problems.push(`Ссылка «${link[1]}» должна вести на http(s):// или {record_url}.`);
  }
  return problems;
}
