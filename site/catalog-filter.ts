import type { RecordStatus } from '../shared/record-status.ts';

/**
 * The catalog's filters (status, decade, price band; genre is a page of its own), as query
 * parameters of a list page: /catalog/?status=available&decade=1970&price=3000-6000. Every
 * choice is a plain link, so crawlers and people without JavaScript use them alike. The same
 * function filters on the server and, on a static host, in the browser over the search index.
 */
export interface CatalogFilter {
  status?: StatusChoice;
  decade?: number;
  price?: PriceChoice;
}

export const statusChoices = {
  available: { label: 'В наличии', statuses: ['available'] },
  reserved: { label: 'Забронированы', statuses: ['reserved'] },
  waiting: { label: 'Ожидаются', statuses: ['procurement', 'search_request'] },
  sold: { label: 'Проданы', statuses: ['sold'] },
} as const satisfies Record<string, { label: string; statuses: readonly RecordStatus[] }>;
export type StatusChoice = keyof typeof statusChoices;

export const priceChoices = {
  'to-3000': { label: 'до 3 000 ₽', min: 0, max: 3000 },
  '3000-6000': { label: '3 000 – 6 000 ₽', min: 3000, max: 6000 },
  '6000-10000': { label: '6 000 – 10 000 ₽', min: 6000, max: 10000 },
  'from-10000': { label: 'от 10 000 ₽', min: 10000, max: Infinity },
} as const;
export type PriceChoice = keyof typeof priceChoices;

export const decades = [1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020] as const;

/** Reads the filter from query parameters; unknown values are dropped, not guessed. */
export function parseCatalogFilter(query: { get(name: string): string | null }): CatalogFilter {
  const filter: CatalogFilter = {};
  const status = query.get('status');
  if (status && status in statusChoices) filter.status = status as StatusChoice;
  const decade = Number(query.get('decade'));
  if ((decades as readonly number[]).includes(decade)) filter.decade = decade;
  const price = query.get('price');
  if (price && price in priceChoices) filter.price = price as PriceChoice;
  return filter;
}

export const isFiltered = (f: CatalogFilter) => f.status !== undefined || f.decade !== undefined || f.price !== undefined;

/** Query string of a filter ('' for none), in a fixed order so one filter has one URL. */
export function filterQuery(f: CatalogFilter): string {
  const params: string[] = [];
  if (f.status) params.push(`status=${f.status}`);
  if (f.decade) params.push(`decade=${f.decade}`);
  if (f.price) params.push(`price=${f.price}`);
  return params.length ? `?${params.join('&')}` : '';
}

export function matchesFilter(r: { status: string; year: number | null; price: number | null }, f: CatalogFilter): boolean {
  if (f.status && !(statusChoices[f.status].statuses as readonly string[]).includes(r.status)) return false;
  if (f.decade && (r.year === null || r.year < f.decade || r.year >= f.decade + 10)) return false;
  if (f.price) {
    const band = priceChoices[f.price];
    if (r.price === null || r.price < band.min || r.price >= band.max) return false;
  }
  return true;
}
