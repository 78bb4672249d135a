import { Router, type Request, type Response } from 'express';
import { recordsQuerySchema } from '../../shared/catalog-contract.ts';
import { parseCatalogFilter } from '../../site/catalog-filter.ts';
import { recordPath, searchIndexPath, searchPath } from '../../site/site-urls.ts';
import type { CatalogRepository } from '../catalog/catalog-repository.ts';
import { sendCached, type ResponseCache } from '../http/response-cache.ts';
import type { SiteCatalog } from './site-catalog.ts';
import type { SitePages } from './site-pages.tsx';
import type { SiteAssets } from './site-assets.ts';
import { isSitePath, rawQueryOf, siteCacheKey } from './site-cache-hits.ts';

const html = 'text/html; charset=utf-8';

type Answer = { body: string | Buffer; type: string } | { redirect: string } | null;

/**
 * The website on the Node server: every page rendered from the site's catalog snapshot, kept in
 * the API's response cache (compressed once, ETag) and dropped with it when the catalog changes,
 * so a sheet edit is on the page at the next request. Paths outside the site fall through to the
 * API's routes and its JSON 404.
 */
export function createSiteRoutes(deps: { site: SiteCatalog; pages: () => Promise<SitePages>; assets: () => Promise<SiteAssets>; cache: ResponseCache; catalog: CatalogRepository }) {
  const { site, cache } = deps;
  let pages!: SitePages;
  const router = Router();
  let seenInvalidations = -1;

  /** The snapshot as of the last cache invalidation (the catalog's version moved: read the changes). */
  async function snapshot() {
    if (seenInvalidations !== cache.invalidations) {
      seenInvalidations = cache.invalidations;
      await site.refresh();
    }
    return site.current();
  }

  async function resolve(path: string, query: URLSearchParams): Promise<Answer> {
    if (path === '/') return { body: pages.home(await snapshot()), type: html };
    if (path === '/robots.txt') return { body: pages.robots(), type: 'text/plain; charset=utf-8' };
    if (path === '/sitemap.xml') return { body: pages.sitemap(await snapshot()), type: 'application/xml; charset=utf-8' };
    if (path === searchIndexPath) return { body: pages.searchIndex(await snapshot()), type: 'application/json; charset=utf-8' };
    if (path === '/catalog' || path === '/search') return { redirect: `${path}/` };

    let m = /^\/catalog\/(?:page\/(\d{1,6})\/)?$/.exec(path);
    if (m) {
      const body = pages.catalog(await snapshot(), Number(m[1] ?? 1), parseCatalogFilter(query));
      return body === null ? null : { body, type: html };
    }
    m = /^\/genres\/([a-z0-9-]{1,80})\/(?:page\/(\d{1,6})\/)?$/.exec(path);
    if (m) {
      const body = pages.genre(await snapshot(), m[1]!, Number(m[2] ?? 1), parseCatalogFilter(query));
      return body === null ? null : { body, type: html };
    }
    m = /^\/records\/(\d{1,9})(?:\/([^/]*))?\/?$/.exec(path);
    if (m) {
      const record = (await snapshot()).byNumber.get(Number(m[1]));
      if (!record) return null;
      // An old or wrong slug (the title was corrected) or a missing slash: the one canonical URL.
      if (path !== recordPath(record)) return { redirect: recordPath(record) };
      return { body: pages.record(await snapshot(), record), type: html };
    }
    m = /^\/covers\/(\d{1,9})\.svg$/.exec(path);
    if (m) {
      const record = (await snapshot()).byNumber.get(Number(m[1]));
      return record ? { body: pages.cover(record), type: 'image/svg+xml; charset=utf-8' } : null;
    }
    if (path === searchPath) {
      const q = query.get('q')?.trim() ?? '';
      if (!q) return { body: pages.search('', null), type: html };
      // Without JavaScript the query is answered here, by the API's own search (typos included).
      const parsed = recordsQuerySchema.safeParse({ search: q, status: 'all', limit: '48' });
      const results = parsed.success ? (await deps.catalog.search(parsed.data)).records : [];
      return { body: pages.search(q, results), type: html };
    }
    return null;
  }

  router.get(/.*/, async (req: Request, res: Response, next) => {
    const path = req.path;
    if (path.startsWith('/assets/') || path === '/favicon.svg') {
      const asset = (await deps.assets()).files.get(path);
      return asset ? sendCached(req, res, asset.response) : next();
    }
    if (!isSitePath(path)) return next();
    pages ??= await deps.pages();
    const rawQuery = rawQueryOf(req);
    const query = new URLSearchParams(rawQuery);
    // site-cache-hits.ts, mounted early, looked the page up already and missed.
    const missed = res.locals.siteCacheMiss as string | undefined;
    const key = missed ?? siteCacheKey(path, rawQuery);
    const hit = missed ? undefined : cache.get(key);
    if (hit) return sendCached(req, res, hit);
    const started = cache.begin();
    const answer = await resolve(path, query);
    if (answer === null) return void (await notFound(req, res));
    if ('redirect' in answer) {
      const search = req.url.slice(req.path.length);
      return res.redirect(301, `${answer.redirect}${search}`);
    }
    sendCached(req, res, cache.setBody(key, answer.body, answer.type, started));
  });

  /** The site's 404 page for a browser; the API's JSON 404 for everything else. */
  async function notFound(_req: Request, res: Response) {
    pages ??= await deps.pages();
    res.status(404).setHeader('Cache-Control', 'no-cache');
    res.type(html).send(pages.notFound());
  }

  return {
    router,
    /** After every route: an unknown page a browser asked for gets the site's 404 page. */
    notFound(req: Request, res: Response, next: (error?: unknown) => void) {
      if ((req.method === 'GET' || req.method === 'HEAD') && !req.path.startsWith('/api/') && req.accepts(['json', 'html']) === 'html') return void notFound(req, res);
      next();
    },
  };
}
