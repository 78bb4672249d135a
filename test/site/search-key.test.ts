import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCatalog } from '../../server/catalog/demo-catalog.ts';
import { matchesQuery, querySearchWords, recordSearchWords } from '../../shared/search-key.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';

/** The browser's search index must reduce text exactly as the database does, or offline search finds other records. */
describe('shared/search-key.ts matches the SQL search helpers', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await pgliteDatabase();
  });
  afterAll(async () => database?.close());

  const texts = [
    ...demoCatalog.map((r) => [r.artist, r.title, r.year === undefined || r.year === null ? null : String(r.year)] as const),
    ['Édith Piaf', 'La Vie en rose', '1947'],
    ['Mötley Crüe', 'Dr. Feelgood', null],
    ['Sigur Rós', 'Ágætis byrjun', '1999'],
    ['Björk', 'Homogenic', null],
    ['Ансамбль «Песняры»', 'Щедрый вечер! Ёлка, чай, йогурт — всё-таки ЪЬ', '1976'],
    ['R.E.M.', 'Out of Time', '1991'],
    ['Guns N’ Roses', 'Appetite for Destruction', '1987'],
    ['Straße', 'Æon Øresund Łódź', null],
  ];

  it('record words: the same set as vinyl_record_words for the demo catalog and accented names', async () => {
    for (const [artist, title, year] of texts) {
      const [row] = await database.sql<{ words: string[] }>('select vinyl_record_words($1, $2, $3) as words', [artist, title, year]);
      expect(recordSearchWords(artist, title, year).sort(), `${artist} — ${title}`).toEqual([...row!.words].sort());
    }
  });

  it('query words: the same list as vinyl_query_words', async () => {
    const queries = ['пинк флойд', 'Битлз', 'зе битлз', 'AC/DC back', 'ДДТ', 'Мумий Тролль', 'the the the', 'Ёлки-палки 1980', 'kino  группа   крови', 'a b c d e f g h', 'Sigur Rós'];
    for (const query of queries) {
      const [row] = await database.sql<{ words: string[] }>('select vinyl_query_words($1) as words', [query]);
      expect(querySearchWords(query), query).toEqual(row!.words);
    }
  });

  it('«пинк флойд» finds Pink Floyd offline, «кино» finds Кино, and a word must match every query word', () => {
    const floyd = recordSearchWords('Pink Floyd', 'The Wall', 1979);
    expect(matchesQuery(floyd, querySearchWords('пинк флойд'))).toBe(true);
    expect(matchesQuery(floyd, querySearchWords('флойд стена'))).toBe(false);
    expect(matchesQuery(recordSearchWords('Кино', 'Группа крови', 1988), querySearchWords('kino grup'))).toBe(true);
  });
});
