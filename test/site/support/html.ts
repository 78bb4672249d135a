/** Small readers of rendered pages for assertions (the pages' own structure, no DOM library). */

export function jsonLd(html: string): Array<Record<string, any>> {
  return [...html.matchAll(/<script type="application\/ld\+json">(.*?)<\/script>/gs)].map((m) => JSON.parse(m[1]!));
}

export function meta(html: string, key: string): string | undefined {
  const re = new RegExp(`<meta (?:name|property)="${key.replace(/[:.]/g, '\\$&')}" content="([^"]*)"`);
  return decode(re.exec(html)?.[1]);
}

export const canonical = (html: string) => /<link rel="canonical" href="([^"]*)"/.exec(html)?.[1];
export const title = (html: string) => decode(/<title>(.*?)<\/title>/s.exec(html)?.[1]);
export const links = (html: string) => [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => decode(m[1])!);

function decode(text: string | undefined): string | undefined {
  return text?.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/**
 * Google's merchant-listing requirements for a Product
 * (https://developers.google.com/search/docs/appearance/structured-data/merchant-listing):
 * name, image, and an offers with price > 0 and priceCurrency. Returns what is missing.
 */
export function merchantListingProblems(product: Record<string, any>): string[] {
  const problems: string[] = [];
  if (product['@type'] !== 'Product') problems.push('@type is not Product');
  if (typeof product.name !== 'string' || product.name.trim() === '') problems.push('name');
  const images = Array.isArray(product.image) ? product.image : [product.image];
  if (images.length === 0 || !images.every((i: unknown) => typeof i === 'string' && /^https?:\/\//.test(i))) problems.push('image (absolute URL)');
  const offer = Array.isArray(product.offers) ? product.offers[0] : product.offers;
  if (!offer || offer['@type'] !== 'Offer') problems.push('offers');
  else {
    if (!(Number(offer.price) > 0)) problems.push('offers.price > 0');
    if (!/^[A-Z]{3}$/.test(offer.priceCurrency ?? '')) problems.push('offers.priceCurrency');
    if (offer.availability !== undefined && !/^https:\/\/schema\.org\/(InStock|OutOfStock|PreOrder|BackOrder|SoldOut|LimitedAvailability|Discontinued|InStoreOnly|OnlineOnly|PreSale)$/.test(offer.availability)) {
      problems.push('offers.availability');
    }
  }
  return problems;
}
