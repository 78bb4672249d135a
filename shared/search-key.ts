/**
 * The catalog search's reduction of text to words, in plain JS for the website's client-side
 * index (bundled for the browser) and the server's page data. It mirrors the SQL helpers of
 * supabase/migrations/20261121000200_catalog_search.sql — vinyl_translit, vinyl_normalize,
 * vinyl_record_words and vinyl_query_words, with the stop words of vinyl_is_stop_word as
 * supabase/migrations/20261202002000_search_sounds.sql redefines them — so «пинк флойд» finds Pink Floyd offline exactly as
 * the API finds it; test/site/search-key.test.ts compares the two on the demo catalog.
 * Typo and sound-alike matching stays in SQL (it needs the catalog's dictionary).
 */

// Cyrillic to Latin, tuned for Western names written in Russian (х -> h, й -> y), as vinyl_translit.
const translitMap: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm',
  н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch',
  ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
};

// Letters Postgres's unaccent rewrites that Unicode decomposition leaves alone.
const unaccentExtra: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };

/** Lower case, accents off Latin letters (Cyrillic й keeps its breve, as unaccent does), Cyrillic spelled in Latin. */
export function transliterate(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) {
    const cyr = translitMap[ch];
    if (cyr !== undefined) out += cyr;
    else if (ch < '\u0080') out += ch;
    else out += unaccentExtra[ch] ?? ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  }
  return out;
}

/**
 * Words that carry no meaning in a name, as vinyl_is_stop_word (20261202002000_search_sounds.sql):
 * English articles and their Russian spelling («зе», «э» → e), "and" and the Russian «и» (→ i).
 */
export const searchStopWords: ReadonlySet<string> = new Set(['the', 'a', 'an', 'ze', 'e', 'and', 'i']);
const stopWords = searchStopWords;

/** The words a record is found by (artist, title, year): each word, and punctuated tokens glued (ac/dc -> ac, dc, acdc). */
export function recordSearchWords(...parts: Array<string | number | null | undefined>): string[] {
  const text = transliterate(parts.filter((p) => p !== null && p !== undefined).join(' '));
  const words = new Set<string>();
  for (const w of text.split(/[^a-z0-9]+/)) if (w) words.add(w);
  for (const token of text.split(/\s+/)) {
    if (/[a-z0-9][^a-z0-9]+[a-z0-9]/.test(token)) words.add(token.replace(/[^a-z0-9]+/g, ''));
  }
  return [...words].filter((w) => !stopWords.has(w));
}

/** The words of a customer's query: one per whitespace-separated token, punctuation glued, at most max (six, as the API). */
export function querySearchWords(query: string, max = 6): string[] {
  const words: string[] = [];
  for (const token of query.trim().split(/\s+/)) {
    const w = transliterate(token).replace(/[^a-z0-9]+/g, '');
    if (w && !stopWords.has(w) && !words.includes(w)) words.push(w);
  }
  // Stop words and repeats are dropped first, then the list is cut, as vinyl_query_words does.
  return words.slice(0, max);
}

/** Whether a record's words match every query word exactly or as a prefix (the API's exact tier). */
export function matchesQuery(recordWords: readonly string[], queryWords: readonly string[]): boolean {
  return queryWords.every((q) => recordWords.some((w) => w.startsWith(q)));
}
