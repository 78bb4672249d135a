/** Escapes text for parse_mode HTML (https://core.telegram.org/bots/api#html-style). */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Roubles as the customer reads them: 4 500 ₽ (whole roubles, thin grouping). */
export function formatRub(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return `${Math.round(Number(value)).toLocaleString('ru-RU').replace(/\u00a0/g, ' ')} ₽`;
}

/** DD.MM.YYYY in Moscow time, where the store and its customers are. */
export function formatDateRu(iso: string | Date): string {
  return new Date(iso).toLocaleDateString('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric' });
}
