import { Layout } from '../components/layout.tsx';
import { RecordGrid } from '../components/record-card.tsx';
import { RequestForm } from '../components/request-form.tsx';
import { recordsCount } from '../components/status-text.ts';
import type { PageRecord, SiteContext } from '../site-context.ts';
import { searchIndexPath, searchPath } from '../site-urls.ts';

/**
 * The search page. Results come instantly from the client-side index (site/client/search.ts),
 * then the API adds its typo and sound-alike matches where it is reachable. On the server a
 * query in the URL is answered in the HTML too, so the page works without JavaScript.
 */
export function SearchPage(props: { ctx: SiteContext; query: string; results: PageRecord[] | null }) {
  const { ctx, query, results } = props;
  return (
    <Layout
      ctx={ctx}
      meta={{
        title: query ? `Поиск: ${query}` : 'Поиск пластинок',
        description: 'Найдите виниловую пластинку по исполнителю или названию — по-русски или латиницей. Нет в каталоге? Запросите, и мы найдём.',
        canonical: searchPath,
        noindex: query !== '',
      }}
    >
      <h1>Поиск пластинок</h1>
      <form class="search-form" role="search" action={searchPath} method="get" data-search-form data-index={searchIndexPath}>
        <label class="visually-hidden" for="q">Исполнитель или альбом</label>
        <input id="q" type="search" name="q" value={query} placeholder="Например, пинк флойд" autocomplete="off" />
        <button type="submit">Найти</button>
      </form>
      <p role="status" aria-live="polite" data-search-status>
        {results ? (results.length > 0 ? `Нашлось: ${recordsCount(results.length)}` : 'Ничего не нашлось') : ''}
      </p>
      <div data-search-results>{results && results.length > 0 ? <RecordGrid records={results} ctx={ctx} /> : null}</div>
      <div data-search-empty hidden={!(results && results.length === 0)}>
        <p>Такой пластинки пока нет в каталоге. Оставьте запрос — мы поищем её и сообщим вам.</p>
        {/* Prefilled here as the script does after its own search: the form is ready before any script runs. */}
        <RequestForm ctx={ctx} artist={results?.length === 0 ? query : undefined} />
      </div>
    </Layout>
  );
}
