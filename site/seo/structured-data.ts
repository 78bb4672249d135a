import type { RecordStatus } from '../../shared/record-status.ts';
import type { PageRecord } from '../site-context.ts';
import { coverPath, recordPath } from '../site-urls.ts';

/**
 * schema.org availability of a record (https://schema.org/ItemAvailability). Reserved is
 * OutOfStock: a buyer holds it and cannot be sold it now, but it returns to sale if they do not
 * buy within the reservation days, which SoldOut would deny. Search requests and procurement
 * tasks are PreOrder: interest is what the shop takes for them.
 */
export const availabilityOf: Record<Exclude<RecordStatus, 'deleted'>, string> = {
  available: 'https://schema.org/InStock',
  reserved: 'https://schema.org/OutOfStock',
  procurement: 'https://schema.org/PreOrder',
  search_request: 'https://schema.org/PreOrder',
  sold: 'https://schema.org/SoldOut',
};

export const absolute = (siteUrl: string, path: string) => (/^https?:\/\//.test(path) ? path : `${siteUrl}${path}`);

/** «Pink Floyd — The Wall (1979)» */
export const recordName = (r: Pick<PageRecord, 'artist' | 'title' | 'year'>) => `${r.artist} — ${r.title}${r.year ? ` (${r.year})` : ''}`;

/**
 * Product with one Offer, for Google's merchant listings (name, image, offers.price > 0,
 * priceCurrency required: https://developers.google.com/search/docs/appearance/structured-data/merchant-listing).
 * A record without a price (a search request) gets no Product at all: an Offer without a price
 * is an error in Search Console, not a rich result.
 */
export function productJsonLd(siteUrl: string, record: PageRecord): Record<string, unknown> | null {
  if (record.price === null || !(record.price > 0) || record.status === 'deleted') return null;
  const url = absolute(siteUrl, recordPath(record));
  return {
    '@context': 'https://schema.org',
    '@type': 'Product',
    '@id': `${url}#product`,
    name: `${record.artist} — ${record.title}`,
    image: [absolute(siteUrl, record.image_url ?? coverPath(record))],
    description: record.seo_description ?? record.description ?? recordName(record),
    sku: String(record.number),
    category: 'Виниловые пластинки',
    brand: record.label ? { '@type': 'Brand', name: record.label } : undefined,
    ...(record.year ? { releaseDate: String(record.year) } : {}),
    itemCondition: 'https://schema.org/UsedCondition',
    offers: {
      '@type': 'Offer',
      url,
      price: record.price.toFixed(2),
      priceCurrency: 'RUB',
      availability: availabilityOf[record.status],
      itemCondition: 'https://schema.org/UsedCondition',
    },
  };
}

/** The trail above a page, as schema.org BreadcrumbList. */
export function breadcrumbJsonLd(siteUrl: string, trail: Array<{ name: string; path: string }>) {
  return {
    '@context': 'https://schema.org',
    '@type': 'BreadcrumbList',
    itemListElement: trail.map((step, i) => ({ '@type': 'ListItem', position: i + 1, name: step.name, item: absolute(siteUrl, step.path) })),
  };
}

/** JSON for a <script> element: "<" escaped, so no text in it can close the element. */
const scriptEscapes: Record<string, string> = { '<': '\\u003c', '\u2028': '\\u2028', '\u2029': '\\u2029' };
export const scriptJson = (value: unknown) => JSON.stringify(value).replace(/[<\u2028\u2029]/g, (c) => scriptEscapes[c]!);
