import { escapeHtml } from '../../shared/html-escape.ts';
import { formatDateRu, formatRub } from '../../shared/russian-format.ts';

export interface OfferValues {
  artist: string;
  title: string;
  original_price: number;
  price: number;
  code: string;
  expires_at: string;
  record_url: string;
}

/**
 * Renders an admin-written template as Telegram HTML. The template is plain text: everything in
 * it is escaped, placeholders are filled with escaped values, then three small markups become
 * tags: **bold**, ~~strikethrough~~ and [text](http-url). Tags are only ever made in pairs here,
 * so the result always parses.
 */
export function renderOfferTemplate(template: string, values: OfferValues): string {
  const fill: Record<string, string> = {
    artist: values.artist,
    title: values.title,
    original_price: formatRub(values.original_price),
    discount_price: formatRub(values.price),
    discount_code: values.code,
    expires_date: formatDateRu(values.expires_at),
    record_url: values.record_url,
  };
  let html = escapeHtml(template).replace(/\{(\w+)\}/g, (whole, name: string) => (name in fill ? escapeHtml(fill[name]) : whole));
  html = html.replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g, (_m, text: string, url: string) => `<a href="${url}">${text}</a>`);
  html = html.replace(/\*\*([^*\n]+)\*\*/g, '<b>$1</b>');
  html = html.replace(/~~([^~\n]+)~~/g, '<s>$1</s>');
  return html;
}

/** The placeholders a template must contain to be usable (the code is the offer itself). */
export function templateIsUsable(body: string): boolean {
  return body.trim().length > 0 && body.includes('{discount_code}');
}
