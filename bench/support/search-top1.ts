import queries from './search-queries.json' with { type: 'json' };

/**
 * Real queries against the demo catalog (server/catalog/demo-catalog.ts), each with what its
 * first result must be: Russian-typed English names, Latin-typed Russian names, typos, titles,
 * genres, labels and years. `genre` lists alternatives (`heavy metal|хэви-метал`), each a
 * case-insensitive part of the record's genre ("rock" is right for Hard Rock); the other fields
 * must be equal.
 */
export interface SearchCase {
  query: string;
  kind: string;
  first: { artist?: string; title?: string; genre?: string; label?: string; year?: number };
}
export const searchCases: SearchCase[] = queries;

interface FirstRecord {
  artist: string;
  title: string;
  genre: string | null;
  label: string | null;
  year: number | null;
}

/** Why a first result is wrong for its case, or null when it is right. */
export function top1Mismatch(expected: SearchCase['first'], record: FirstRecord | undefined): string | null {
  if (!record) return 'no result';
  const wrong = Object.entries(expected).filter(([field, value]) => {
    const actual = record[field as keyof FirstRecord];
    return field === 'genre'
      ? !String(value).split('|').some((part) => String(actual ?? '').toLowerCase().includes(part.toLowerCase()))
      : actual !== value;
  });
  return wrong.length === 0 ? null : `got ${record.artist} - ${record.title} (${record.genre}, ${record.label}, ${record.year})`;
}

/** Runs every case through `firstResult` (a search as the website makes it); the share right and the misses. */
export async function measureSearchTop1(firstResult: (query: string) => Promise<FirstRecord | undefined>) {
  const misses: Array<{ query: string; expected: SearchCase['first']; problem: string }> = [];
  for (const { query, first } of searchCases) {
    const problem = top1Mismatch(first, await firstResult(query));
    if (problem) misses.push({ query, expected: first, problem });
  }
  return { share: (searchCases.length - misses.length) / searchCases.length, misses };
}
