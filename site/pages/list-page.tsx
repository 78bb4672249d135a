import { filterQuery, isFiltered, type CatalogFilter } from '../catalog-filter.ts';
import { Filters, Pagination } from '../components/filters.tsx';
import { Breadcrumbs, Layout } from '../components/layout.tsx';
import { RecordGrid } from '../components/record-card.tsx';
import { recordsCount } from '../components/status-text.ts';
import { breadcrumbJsonLd } from '../seo/structured-data.ts';
import type { PageRecord, SiteContext } from '../site-context.ts';
import { listPagePath } from '../site-urls.ts';

export interface ListData {
  /** First page's path (/catalog/ or /genres/rock/). */
  base: string;
  heading: string;
  description: string;
  trail: Array<{ name: string; path: string }>;
  records: PageRecord[];
  page: number;
  pages: number;
  total: number;
  filter: CatalogFilter;
}

/** The catalog and the genre pages: filters, a page of records, page links. */
export function ListPage(props: { ctx: SiteContext; data: ListData }) {
  const { ctx, data } = props;
  const query = filterQuery(data.filter);
  const href = (page: number) => `${listPagePath(data.base, page)}${query}`;
  const pageSuffix = data.page > 1 ? `, страница ${data.page}` : '';
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: `${data.heading}${pageSuffix}`,
        description: `${data.description}${pageSuffix}`,
        canonical: listPagePath(data.base, data.page),
        // One URL per list page is indexed; its filtered variants point to it.
        noindex: isFiltered(data.filter),
        prev: data.page > 1 ? href(data.page - 1) : undefined,
        next: data.page < data.pages ? href(data.page + 1) : undefined,
        jsonLd: [breadcrumbJsonLd(ctx.siteUrl, data.trail)],
      }}
    >
      <Breadcrumbs trail={data.trail} />
      <h1>{data.heading}</h1>
      <p class="lead" data-list-count>
        {recordsCount(data.total)}
        {data.pages > 1 ? ` · страница ${data.page} из ${data.pages}` : ''}
      </p>
      <Filters base={data.base} filter={data.filter} />
      <div data-list-results>
        {data.records.length > 0 ? (
          <RecordGrid records={data.records} ctx={ctx} eager={2} />
        ) : (
          <p class="notice">Под эти условия пока ничего не подходит. Попробуйте другие фильтры или <a href="/search/">запросите пластинку</a>.</p>
        )}
        <Pagination page={data.page} pages={data.pages} href={href} />
      </div>
    </Layout>
  );
}
