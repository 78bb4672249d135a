import { matchesQuery, querySearchWords } from '../../shared/search-key.ts';
import { recordsCount } from '../components/status-text.ts';
import type { PublicRecord } from '../../shared/catalog-contract.ts';
import { apiBase, fetchJson } from './api.ts';
import { resultGrid, type CardData } from './result-card.ts';
import { loadIndex } from './search-index-client.ts';
import { prefillRequest } from './request-form.ts';

const fromApi = (r: PublicRecord): CardData => ({
  number: r.number, slug: r.slug, artist: r.artist, title: r.title, year: r.year, status: r.status, price: r.price, waiting: r.preorder.count, image: r.image_url,
});

/**
 * The search page: instant results from the index as the customer types, then the API's typo and
 * sound-alike matches appended where the API answers. Nothing found: the request form, prefilled.
 */
export function initSearch(form: HTMLFormElement) {
  const input = form.querySelector<HTMLInputElement>('input[name="q"]')!;
  const status = document.querySelector<HTMLElement>('[data-search-status]')!;
  const results = document.querySelector<HTMLElement>('[data-search-results]')!;
  const empty = document.querySelector<HTMLElement>('[data-search-empty]')!;
  let generation = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const show = (query: string, cards: CardData[], final: boolean) => {
    results.replaceChildren(cards.length ? resultGrid(cards) : '');
    status.textContent = cards.length ? `Нашлось: ${recordsCount(cards.length)}` : final ? 'Ничего не нашлось' : 'Ищем…';
    empty.hidden = !(final && cards.length === 0 && query !== '');
    if (!empty.hidden) prefillRequest(empty, query);
  };

  async function run(query: string) {
    const mine = ++generation;
    const words = querySearchWords(query);
    if (words.length === 0) {
      results.replaceChildren();
      status.textContent = '';
      empty.hidden = true;
      return;
    }
    let local: CardData[] = [];
    try {
      local = (await loadIndex()).filter((r) => matchesQuery(r.words, words)).slice(0, 60);
    } catch {
      // No index (a broken deploy): the API below still answers.
    }
    if (mine !== generation) return;
    show(query, local, false);
    try {
      const url = `${apiBase()}/api/records?status=all&limit=48&search=${encodeURIComponent(query)}`;
      const { status: code, body } = await fetchJson<{ records: PublicRecord[] }>(url);
      if (mine !== generation) return;
      if (code === 200 && body) {
        const seen = new Set(local.map((r) => r.number));
        local = [...local, ...body.records.filter((r) => !seen.has(r.number)).map(fromApi)];
      }
    } catch {
      // Offline or no API on this host: the index's answer stands.
    }
    if (mine === generation) show(query, local, true);
  }

  const update = () => {
    const query = input.value.trim();
    const url = new URL(location.href);
    if (query) url.searchParams.set('q', query);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    void run(query);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    update();
  });
  const initial = new URLSearchParams(location.search).get('q') ?? '';
  if (initial) {
    input.value = initial;
    void run(initial);
  }
}
