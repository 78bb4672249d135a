import { transliterate } from '../shared/search-key.ts';

/**
 * The website's addresses, one place for the server's routes, the static export's file names and
 * the client scripts. Every page ends in a slash, so a static host serves dir/index.html for it
 * without any rewrite rule.
 */

/** Records per catalog or genre page. */
export const pageSize = 24;

// Genre names are few and each repeats on thousands of pages: transliterated once each (bounded,
// should a catalog ever hold many).
const slugs = new Map<string, string>();

/** A URL-safe form of a name, transliterated like record slugs: «Хэви-метал» -> hevi-metal. */
export function genreSlug(name: string): string {
  let slug = slugs.get(name);
  if (slug === undefined) {
    if (slugs.size >= 2000) slugs.clear();
    slugs.set(name, (slug = transliterate(name).replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80)));
  }
  return slug;
}

export const recordPath = (record: { number: number; slug: string }) => `/records/${record.number}/${record.slug}/`;
/** A record's full address for links sent elsewhere (Telegram); without a slug, the number's page redirects to it. */
export const recordUrl = (siteUrl: string, record: { number: number; slug?: string | null }) =>
  siteUrl + (record.slug ? recordPath({ number: record.number, slug: record.slug }) : `/records/${record.number}/`);
export const coverPath = (record: { number: number }) => `/covers/${record.number}.svg`;

/** Page n of a list whose first page is at base (which ends in a slash). */
export const listPagePath = (base: string, page: number) => (page <= 1 ? base : `${base}page/${page}/`);
export const catalogPath = (page = 1) => listPagePath('/catalog/', page);
export const genrePath = (slug: string, page = 1) => listPagePath(`/genres/${slug}/`, page);
export const searchPath = '/search/';
export const searchIndexPath = '/search-index.json';

/** The static file a page is written to: /catalog/page/2/ -> catalog/page/2/index.html. */
export function pageFile(path: string): string {
  return path === '/' ? 'index.html' : `${path.replace(/^\/+/, '')}index.html`;
}
