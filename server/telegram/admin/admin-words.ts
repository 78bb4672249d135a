import { statusFromLabel, type ActiveStatus } from '../../../shared/record-status.ts';

/**
 * How the admin's words are compared: lower case, ё as е, Latin look-alikes inside a Cyrillic
 * word read as Cyrillic (a phone keyboard left on the wrong layout for one letter: «прoдана»),
 * punctuation dropped. Small typos are forgiven by `sameWord`.
 */
const latinToCyrillic: Record<string, string> = { a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у' };

export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}#]+/u)
    .filter(Boolean)
    .map((word) => (/[а-я]/.test(word) ? word.replace(/[a-z]/g, (ch) => latinToCyrillic[ch] ?? ch) : word));
}

/** Edits between two words, a swap of neighbours counting as one (optimal string alignment). */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Equal, or one typo in a word of 5+ letters (two in 9+). Short words must be exact. */
export function sameWord(word: string, known: string): boolean {
  if (word === known) return true;
  const limit = known.length >= 9 ? 2 : known.length >= 5 ? 1 : 0;
  return limit > 0 && editDistance(word, known, limit) <= limit;
}

/** A phrase (one or more known words) found in `words` at any position; returns where it starts or -1. */
export function findPhrase(words: string[], phrase: string[]): number {
  for (let i = 0; i + phrase.length <= words.length; i++) {
    if (phrase.every((known, k) => sameWord(words[i + k]!, known))) return i;
  }
  return -1;
}

/** Status words in the forms an admin writes them; the sheet's labels and English names come from record-status.ts. */
const statusPhrases: Array<[ActiveStatus, string[]]> = [
  ['sold', ['продана']], ['sold', ['продан']], ['sold', ['продано']], ['sold', ['проданы']], ['sold', ['продали']],
  ['sold', ['купили']], ['sold', ['sold']],
  ['available', ['в', 'наличии']], ['available', ['в', 'продаже']], ['available', ['доступна']], ['available', ['доступен']],
  ['available', ['доступно']], ['available', ['поступила']], ['available', ['пришла']], ['available', ['нашлась']],
  ['available', ['available']], ['available', ['наличие']],
  ['reserved', ['зарезервирована']], ['reserved', ['зарезервирован']], ['reserved', ['зарезервировано']], ['reserved', ['резерв']],
  ['reserved', ['забронирована']], ['reserved', ['забронирован']], ['reserved', ['бронь']], ['reserved', ['reserved']],
  ['procurement', ['закупка']], ['procurement', ['закупить']], ['procurement', ['procurement']],
  ['search_request', ['запрос']], ['search_request', ['search', 'request']], ['search_request', ['search_request']],
];

/** The status named somewhere in the words, with the words that named it removed. */
export function findStatus(words: string[]): { status: ActiveStatus; rest: string[] } | null {
  // Longer phrases first, so «в наличии» is not read as a record called «в».
  for (const [status, phrase] of [...statusPhrases].sort((a, b) => b[1].length - a[1].length)) {
    const at = findPhrase(words, phrase);
    if (at >= 0) return { status, rest: [...words.slice(0, at), ...words.slice(at + phrase.length)] };
  }
  return null;
}

/** A status argument of /status and /bulk_status: the English name, the sheet's label or a Russian word. */
export function parseStatusWord(text: string): ActiveStatus | null {
  const byLabel = statusFromLabel(text) ?? statusFromLabel(text.replace(/^\P{L}+/u, ''));
  if (byLabel) return byLabel;
  const words = wordsOf(text.replace(/_/g, ' '));
  const found = findStatus(words);
  return found && found.rest.length === 0 ? found.status : null;
}

/** Short codes of statuses for callback data (64 bytes at most). */
export const statusCodes: Record<ActiveStatus, string> = { search_request: 'sr', procurement: 'pr', available: 'av', reserved: 'rs', sold: 'sd' };
export const statusFromCode = (code: string): ActiveStatus | undefined =>
  (Object.keys(statusCodes) as ActiveStatus[]).find((s) => statusCodes[s] === code);
