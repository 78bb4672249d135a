import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCatalog, generateQueries } from '../../bench/support/catalog-generator.ts';
import { searchCases } from '../../bench/support/search-top1.ts';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { seedDemoCatalog } from '../../server/catalog/seed-demo-catalog.ts';
import { transliterate } from '../../shared/search-key.ts';
import { soundKeys } from '../../shared/search-sound.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';

describe('sound keys', () => {
  it.each([
    ['квин', 'queen'],
    ['куин', 'queen'],
    ['дэвид боуи', 'david bowie'],
    ['майкл джексон', 'michael jackson'],
    ['джой дивижн', 'joy division'],
    ['битлз', 'beatles'],
    ['уитни хьюстон', 'whitney houston'],
    ['элла фицджеральд', 'ella fitzgerald'],
    ['анноун плежерс', 'unknown pleasures'],
    ['пугачёва', 'pugachova'],
    ['высоцкий', 'vysockij'],
    ['рок', 'rock'],
  ])('«%s» sounds like %s', (russian, latin) => {
    const russianKeys = russian.split(' ').map((w) => soundKeys(transliterate(w))[0]);
    const latinKeys = latin.split(' ').map((w) => soundKeys(w));
    russianKeys.forEach((key, i) => expect(latinKeys[i]).toContain(key));
  });

  it.each([
    ['кино', 'queen'],
    ['кино', 'kind'],
    ['куин', 'kino'],
  ])('«%s» does not sound like %s', (a, b) => {
    expect(soundKeys(b)).not.toContain(soundKeys(transliterate(a))[0]);
  });

  describe('in the database', () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await pgliteDatabase();
      const catalog = createCatalogRepository(database.db);
      await seedDemoCatalog(catalog);
      await catalog.importRecords(generateCatalog(1500));
    });
    afterAll(async () => {
      await database?.close();
    });

    it('computes exactly the keys shared/search-sound.ts computes, on the whole vocabulary and every query word', async () => {
      const queryWords = [...searchCases.map((c) => c.query), ...generateQueries(400)].flatMap((q) => q.toLowerCase().split(/\s+/));
      const [row] = await database.sql<{ words: string[] }>(
        `select array_agg(word order by word) || array(select vinyl_normalize(w) from unnest($1::text[]) w) as words from search_dictionary`,
        [queryWords],
      );
      const rows = await database.sql<{ word: string; keys: string[] }>(
        'select w as word, vinyl_sound_keys(w) as keys from unnest($1::text[]) w',
        [[...new Set(row!.words.flatMap((w) => w.split(' ')))]],
      );
      expect(rows.length).toBeGreaterThan(800);
      const differing = rows.filter((r) => JSON.stringify(r.keys) !== JSON.stringify(soundKeys(r.word)));
      expect(differing.map((r) => `${r.word}: ${r.keys} vs ${soundKeys(r.word)}`)).toEqual([]);
    });

    it('transliterates Cyrillic as shared/search-key.ts does', async () => {
      const words = ['щука', 'жёлтый', 'цой', 'чайф', 'шарик', 'юрий', 'яблоко', 'подъезд', 'пьеса', 'эхо', 'мы', 'хэви'];
      const rows = await database.sql<{ latin: string }>(
        'select vinyl_translit(w) as latin from unnest($1::text[]) with ordinality u(w, n) order by n',
        [words],
      );
      expect(rows.map((r) => r.latin)).toEqual(words.map(transliterate));
    });
  });
});
