import type { CatalogFilter } from '../../site/catalog-filter.ts';
import { isFiltered, matchesFilter } from '../../site/catalog-filter.ts';
import { renderCoverSvg } from '../../site/components/cover-svg.tsx';
import { HomePage } from '../../site/pages/home-page.tsx';
import { ListPage } from '../../site/pages/list-page.tsx';
import { NotFoundPage, RedirectPage } from '../../site/pages/not-found-page.tsx';
import { RecordPage } from '../../site/pages/record-page.tsx';
import { SearchPage } from '../../site/pages/search-page.tsx';
import { renderDocument } from '../../site/render-document.ts';
import { searchIndexJson } from './search-index-json.ts';
import { renderRobots, renderSitemap, type SitemapPage } from '../../site/seo/sitemap.ts';
import type { PageRecord, SiteContext } from '../../site/site-context.ts';
import { catalogPath, genrePath, genreSlug, listPagePath, pageSize } from '../../site/site-urls.ts';
import type { SiteRecord, SiteSnapshot } from './site-catalog.ts';

/** A page of the catalog or of a genre, for the export. */
export interface ListPageEntry {
  path: string;
  /** Records in the whole list (the page's text says how many). */
  total: number;
  records: SiteRecord[];
  render: () => string;
}

const homeShows = 8;
const newerFirst = (a: SiteRecord, b: SiteRecord) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : b.number - a.number);
const mostAwaitedFirst = (a: SiteRecord, b: SiteRecord) => b.preorder.count - a.preorder.count || b.number - a.number;

/** A list's newest updated_at, once per list (a snapshot makes a new array for a list that changed). */
const newest = new WeakMap<SiteRecord[], string>();
function newestChange(records: SiteRecord[]): string {
  let m = newest.get(records);
  if (m === undefined) newest.set(records, (m = records.reduce((max, r) => (r.updated_at > max ? r.updated_at : max), '')));
  return m;
}

/** Keeps `top` the first `homeShows` records by `order`, inserting `r` where it belongs. */
function keepTop(top: SiteRecord[], r: SiteRecord, order: (a: SiteRecord, b: SiteRecord) => number) {
  if (top.length === homeShows && order(r, top[homeShows - 1]!) >= 0) return;
  let i = top.length;
  while (i > 0 && order(r, top[i - 1]!) < 0) i--;
  top.splice(i, 0, r);
  if (top.length > homeShows) top.pop();
}

/**
 * Every page of the site as a function of one catalog snapshot: the Node server calls these per
 * request (site-routes.ts), the export for every path (site-export.ts). Pure: same snapshot, same bytes.
 */
export function createSitePages(ctx: SiteContext) {
  const homeData = (s: SiteSnapshot) => {
    // The first eight of each kind in one pass: the export renders home after every edit, and
    // sorting ten thousand records for eight of them would be most of that build.
    const arrivals: SiteRecord[] = [];
    const awaited: SiteRecord[] = [];
    for (const r of s.records) {
      if (r.status === 'available') keepTop(arrivals, r, newerFirst);
      else if (r.status === 'search_request' || r.status === 'procurement') keepTop(awaited, r, mostAwaitedFirst);
    }
    return { arrivals, awaited, genres: s.genres.map((g) => ({ name: g.name, slug: g.slug, count: g.records.length })), total: s.records.length };
  };

  /** The ids on each page of a list, for the export's incremental rebuild. */
  const pagesOf = (records: SiteRecord[]) => Math.max(1, Math.ceil(records.length / pageSize));

  function listPage(base: { path: string; heading: string; description: string; trail: Array<{ name: string; path: string }> }, all: SiteRecord[], page: number, filter: CatalogFilter) {
    const records = isFiltered(filter) ? all.filter((r) => matchesFilter(r, filter)) : all;
    const pages = pagesOf(records);
    if (page > pages) return null;
    return renderDocument(
      <ListPage
        ctx={ctx}
        data={{ base: base.path, heading: base.heading, description: base.description, trail: base.trail, records: records.slice((page - 1) * pageSize, page * pageSize), page, pages, total: records.length, filter }}
      />,
    );
  }

  const catalogBase = {
    path: catalogPath(),
    heading: 'Каталог виниловых пластинок',
    description: 'Все пластинки магазина: в наличии, ожидаемые и проданные. Фильтры по годам, цене и наличию.',
    trail: [
      { name: 'Главная', path: '/' },
      { name: 'Каталог', path: catalogPath() },
    ],
  };
  const genreBase = (s: SiteSnapshot, slug: string) => {
    const genre = s.genreBySlug.get(slug);
    if (!genre) return null;
    return {
      genre,
      base: {
        path: genrePath(slug),
        heading: `${genre.name}: виниловые пластинки`,
        description: `Пластинки в жанре «${genre.name}»: в наличии и под заказ, цены в рублях.`,
        trail: [
          { name: 'Главная', path: '/' },
          { name: 'Каталог', path: catalogPath() },
          { name: genre.name, path: genrePath(slug) },
        ],
      },
    };
  };

  /** Up to four records on sale in the same genre (a sold or awaited record's alternatives). */
  function similarTo(s: SiteSnapshot, record: SiteRecord): PageRecord[] {
    const onSale = record.genre ? (s.genreBySlug.get(genreSlug(record.genre))?.onSale ?? []) : [];
    return onSale.filter((r) => r.id !== record.id).slice(0, 4);
  }

  return {
    home: (s: SiteSnapshot) => renderDocument(<HomePage ctx={ctx} data={homeData(s)} />),
    homeData,
    catalog: (s: SiteSnapshot, page: number, filter: CatalogFilter = {}) => listPage(catalogBase, s.records, page, filter),
    genre(s: SiteSnapshot, slug: string, page: number, filter: CatalogFilter = {}) {
      const found = genreBase(s, slug);
      return found ? listPage(found.base, found.genre.records, page, filter) : null;
    },
    record: (s: SiteSnapshot, record: SiteRecord) => renderDocument(<RecordPage ctx={ctx} data={{ record, similar: similarTo(s, record) }} />),
    search: (query: string, results: PageRecord[] | null) => renderDocument(<SearchPage ctx={ctx} query={query} results={results} />),
    /** The ids of the records a record page offers as similar (the export re-renders a page when they change). */
    similarIds: (s: SiteSnapshot, record: SiteRecord) => similarTo(s, record).map((r) => r.id).join(','),
    notFound: () => renderDocument(<NotFoundPage ctx={ctx} />),
    redirect: (to: string) => renderDocument(<RedirectPage siteUrl={ctx.siteUrl} to={to} />),
    /**
     * Every unfiltered list page (catalog and genres), rendered on demand, with what its text
     * depends on besides the records' own data: which records, in which order, and the list's
     * length. A snapshot replaces a record's object when it changes, so the export compares the
     * records a page shows by reference to find the pages an edit touched.
     */
    listPages(s: SiteSnapshot): ListPageEntry[] {
      const out: ListPageEntry[] = [];
      const add = (base: typeof catalogBase, all: SiteRecord[]) => {
        for (let page = 1; page <= pagesOf(all); page++) {
          out.push({ path: listPagePath(base.path, page), total: all.length, records: all.slice((page - 1) * pageSize, page * pageSize), render: () => listPage(base, all, page, {})! });
        }
      };
      add(catalogBase, s.records);
      for (const genre of s.genres) add(genreBase(s, genre.slug)!.base, genre.records);
      return out;
    },
    cover: (record: SiteRecord) => renderCoverSvg(record),
    searchIndex: (s: SiteSnapshot) => searchIndexJson(s.records),
    robots: () => renderRobots(ctx.siteUrl),
    sitemap(s: SiteSnapshot) {
      const lastmod = s.updatedAt;
      const pages: SitemapPage[] = [
        { path: '/', lastmod, changefreq: 'daily', priority: '0.9' },
        { path: catalogPath(), lastmod, changefreq: 'daily', priority: '0.8' },
        ...s.genres.map((g) => ({ path: genrePath(g.slug), lastmod: newestChange(g.records), changefreq: 'daily', priority: '0.6' })),
      ];
      return renderSitemap(ctx.siteUrl, pages, s.records);
    },
    pagesOf,
  };
}
export type SitePages = ReturnType<typeof createSitePages>;
