import { searchIndexPath } from '../../site/site-urls.ts';

/**
 * The website answers every page from one catch-all route (server/site/site-routes.ts), so its
 * express pattern says nothing. Its pages get a label by their address's first segment, one of a
 * fixed set (no id, slug or page number in a label: the series stay few). String operations only:
 * this runs per website request.
 */
const sitePages = new Map([
  ['catalog', '/catalog'],
  ['genres', '/genres/:genre'],
  ['records', '/records/:n/:slug'],
  ['covers', '/covers/:n.svg'],
  ['search', '/search'],
  ['assets', '/assets/*'],
]);
const siteFiles = new Set(['/', '/robots.txt', '/sitemap.xml', '/favicon.svg', searchIndexPath]);

/** The label of a request the website's catch-all route answered: a page kind, or 404. */
export function sitePageLabel(path: string, status: number): string {
  if (status === 404) return '404';
  if (siteFiles.has(path)) return path;
  const end = path.indexOf('/', 1);
  return sitePages.get(end === -1 ? path.slice(1) : path.slice(1, end)) ?? 'other';
}
