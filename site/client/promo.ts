import { formatDateRu, formatRub } from '../../shared/russian-format.ts';
import type { OfferLookup } from '../../shared/demand-contract.ts';
import { apiBase, fetchJson } from './api.ts';

/**
 * ?promo=CODE on a record page: the customer's personal offer (GET /api/offers/:code), its price
 * and expiry. Asked in the browser, so the page itself stays one cached document for everyone.
 */
export async function initPromo(box: HTMLElement, recordNumber: number) {
  const code = new URLSearchParams(location.search).get('promo');
  if (!code) return;
  const show = (text: string) => {
    box.hidden = false;
    box.textContent = text;
  };
  try {
    const { status, body } = await fetchJson<OfferLookup>(`${apiBase()}/api/offers/${encodeURIComponent(code.trim())}`);
    if (status !== 200 || !body) return show('Код предложения не найден. Проверьте ссылку из сообщения.');
    if (body.record.number !== recordNumber) return show('Этот код относится к другой пластинке.');
    if (!body.valid) return show(body.status === 'converted' ? 'Предложение уже использовано.' : 'Срок предложения истёк.');
    box.hidden = false;
    box.replaceChildren();
    const old = document.createElement('span');
    old.className = 'old-price';
    old.textContent = formatRub(body.original_price);
    const price = document.createElement('strong');
    price.className = 'price';
    price.textContent = formatRub(body.price);
    const note = document.createElement('p');
    note.textContent = `Ваша персональная цена со скидкой ${body.discount_percent}% — до ${formatDateRu(body.expires_at)} включительно.`;
    box.append(old, price, note);
  } catch {
    show('Не удалось проверить код предложения. Обновите страницу чуть позже.');
  }
}
