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
