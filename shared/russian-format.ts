/** Prices and dates the way the store's Russian-speaking customers read them (bot, offers, website). */

// One formatter for every call: toLocaleString builds a new one each time, which a website
// rendering ten thousand pages feels.
let groups: Intl.NumberFormat | undefined;

/** Roubles as the customer reads them: 4 500 ₽ (whole roubles, thin grouping); '—' when unknown. */
export function formatRub(value: number | string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  groups ??= new Intl.NumberFormat('ru-RU');
  return `${groups.format(Math.round(Number(value))).replace(/\u00a0/g, ' ')} ₽`;
}

/** DD.MM.YYYY in Moscow time, where the store and its customers are. */
export function formatDateRu(iso: string | Date): string {
  return new Date(iso).toLocaleDateString('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric' });
}
