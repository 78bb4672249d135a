import type { NextFunction, Request, Response } from 'express';
import { filterQuery, parseCatalogFilter } from '../../site/catalog-filter.ts';
import { searchIndexPath, searchPath } from '../../site/site-urls.ts';
import { sendCached, type ResponseCache } from '../http/response-cache.ts';

/** The paths the website answers (site-routes.ts); everything else is the API's. */
export const isSitePath = (path: string) =>
  path === '/' || path === '/robots.txt' || path === '/sitemap.xml' || path === searchIndexPath || /^\/(catalog|search|genres|records|covers)(\/|$)/.test(path);

/**
 * A page's key in the response cache: the path and the query parameters the page reads, so
 * ?utm=… or ?promo=… add no entry. The query is parsed only for the pages that read one.
 */
export function siteCacheKey(path: string, rawQuery: string): string {
  if (path === searchPath) return `site:${path}?q=${new URLSearchParams(rawQuery).get('q')?.trim().toLowerCase() ?? ''}`;
  if (path.startsWith('/catalog/') || path.startsWith('/genres/')) return `site:${path}${filterQuery(parseCatalogFilter(new URLSearchParams(rawQuery)))}`;
  return `site:${path}`;
}

/** The query string of a request's URL, without the "?". */
export const rawQueryOf = (req: Request) => {
  const at = req.url.indexOf('?');
  return at < 0 ? '' : req.url.slice(at + 1);
};

/**
 * Cached pages of the website, answered before the body parsers and the API's routers (as the
 * catalog API's own cached responses are): a hit costs the key and a map lookup. A miss goes on
 * to the site's routes (site-routes.ts), which render the page and fill the cache; the key is
 * left on res.locals so they neither compute it again nor count the miss twice.
 */
export function createSiteCacheHits(cache: ResponseCache) {
  return function siteCacheHits(req: Request, res: Response, next: NextFunction) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = req.path;
    if (!isSitePath(path)) return next();
    const key = siteCacheKey(path, rawQueryOf(req));
    const hit = cache.get(key);
    if (hit) return sendCached(req, res, hit);
    res.locals.siteCacheMiss = key;
    next();
  };
}
