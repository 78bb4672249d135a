import { matchesFilter, parseCatalogFilter, isFiltered } from '../catalog-filter.ts';
import { recordsCount } from '../components/status-text.ts';
import { genreSlug } from '../site-urls.ts';
import { resultGrid } from './result-card.ts';
import { loadIndex } from './search-index-client.ts';

/**
 * On a static host a filter link opens the unfiltered file (hosts ignore the query string): the
 * list is filtered here from the search index instead. On the Node server the HTML is already
 * filtered and this does nothing.
 */
export async function initStaticListFilter(results: HTMLElement) {
  const filter = parseCatalogFilter(new URLSearchParams(location.search));
  if (!isFiltered(filter)) return;
  const genre = /^\/genres\/([^/]+)\//.exec(location.pathname)?.[1];
  const rows = (await loadIndex()).filter((r) => (!genre || (r.genre !== null && genreSlug(r.genre) === genre)) && matchesFilter(r, filter));
  results.replaceChildren(rows.length ? resultGrid(rows.slice(0, 120)) : 'Под эти условия пока ничего не подходит.');
  const count = document.querySelector('[data-list-count]');
  if (count) count.textContent = recordsCount(rows.length);
}
