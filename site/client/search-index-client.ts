import { recordSearchWords } from '../../shared/search-key.ts';
import { indexRecord, type SearchIndex } from '../search-index.ts';
import { searchIndexPath } from '../site-urls.ts';
import type { CardData } from './result-card.ts';

export interface IndexedRecord extends CardData {
  genre: string | null;
  words: string[];
}

let loading: Promise<IndexedRecord[]> | null = null;

/** The client-side index, fetched once per page and reduced to words with the server's rules. */
export function loadIndex(): Promise<IndexedRecord[]> {
  loading ??= fetch(searchIndexPath)
    .then((response) => {
      if (!response.ok) throw new Error(`search index: HTTP ${response.status}`);
      return response.json() as Promise<SearchIndex>;
    })
    .then((index) =>
      index.rows.map((row) => {
        const r = indexRecord(row);
        return { ...r, words: recordSearchWords(r.artist, r.title, r.year) };
      }),
    );
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
