import { Layout } from '../components/layout.tsx';
import type { SiteContext } from '../site-context.ts';
import { catalogPath, searchPath } from '../site-urls.ts';

export function NotFoundPage(props: { ctx: SiteContext }) {
  return (
    <Layout ctx={props.ctx} meta={{ title: 'Страница не найдена', description: 'Такой страницы нет в магазине.', canonical: '/404.html', noindex: true }}>
      <h1>Страница не найдена</h1>
      <p class="lead">
        Возможно, пластинку уже продали или адрес набран с ошибкой. Загляните в <a href={catalogPath()}>каталог</a> или воспользуйтесь <a href={searchPath}>поиском</a>.
      </p>
    </Layout>
  );
}

/**
 * A moved page on a static host, which cannot answer 301: the browser is sent on at once and
 * search engines follow the canonical link (https://developers.google.com/search/docs/crawling-indexing/301-redirects#metarefresh).
 */
export function RedirectPage(props: { siteUrl: string; to: string }) {
  const target = `${props.siteUrl}${props.to}`;
  return (
    <html lang="ru">
      <head>
        <meta charset="utf-8" />
        <title>Страница переехала</title>
        <meta name="robots" content="noindex" />
        <link rel="canonical" href={target} />
        <meta http-equiv="refresh" content={`0; url=${props.to}`} />
      </head>
      <body>
        <p>
          Страница переехала: <a href={props.to}>{target}</a>
        </p>
      </body>
    </html>
  );
}
