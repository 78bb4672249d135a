import { Layout } from '../components/layout.tsx';
import { RecordGrid } from '../components/record-card.tsx';
import { recordsCount } from '../components/status-text.ts';
import type { PageRecord, SiteContext } from '../site-context.ts';
import { catalogPath, genrePath, searchPath } from '../site-urls.ts';

export interface HomeData {
  /** Newest records on sale. */
  arrivals: PageRecord[];
  /** Search requests and procurement tasks, most awaited first. */
  awaited: PageRecord[];
  genres: Array<{ name: string; slug: string; count: number }>;
  total: number;
}

export function HomePage(props: { ctx: SiteContext; data: HomeData }) {
  const { ctx, data } = props;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: `${ctx.shopName}: виниловые пластинки — купить винил с доставкой`,
        description: `Виниловые пластинки: рок, джаз, советская эстрада и редкие пресс. ${recordsCount(data.total)} в каталоге, цены в рублях. Не нашли — закажем.`,
        keywords: 'виниловые пластинки, купить винил, пластинки, винил, LP',
        canonical: '/',
        jsonLd: [
          {
            '@context': 'https://schema.org',
            '@type': 'WebSite',
            name: ctx.shopName,
            url: `${ctx.siteUrl}/`,
            potentialAction: { '@type': 'SearchAction', target: `${ctx.siteUrl}${searchPath}?q={search_term_string}`, 'query-input': 'required name=search_term_string' },
          },
        ],
      }}
    >
      <h1>Виниловые пластинки</h1>
      <p class="lead">
        Проверенный винил с историей: {recordsCount(data.total)} в <a href={catalogPath()}>каталоге</a>. Не нашли нужную пластинку — <a href={searchPath}>запросите её</a>, и мы найдём.
      </p>
      {data.arrivals.length > 0 ? (
        <section aria-labelledby="arrivals">
          <h2 id="arrivals">Новые поступления</h2>
          <RecordGrid records={data.arrivals} ctx={ctx} eager={2} />
        </section>
      ) : null}
      {data.awaited.length > 0 ? (
        <section aria-labelledby="awaited">
          <h2 id="awaited">Их ждут</h2>
          <RecordGrid records={data.awaited} ctx={ctx} />
        </section>
      ) : null}
      {data.genres.length > 0 ? (
        <section aria-labelledby="genres">
          <h2 id="genres">Жанры</h2>
          <ul class="genres">
            {data.genres.map((g) => (
              <li>
                <a href={genrePath(g.slug)}>
                  {g.name} <span aria-hidden="true">·</span> <span class="visually-hidden">:</span> {g.count}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
}
