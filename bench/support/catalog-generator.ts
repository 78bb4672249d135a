import type { NewRecord } from '../../server/catalog/catalog-repository.ts';

/**
 * Records that look like a real second-hand vinyl catalog: real artists (Latin and Cyrillic),
 * titles built from the words real catalogs repeat (The, Live, Greatest Hits, Orchestra, Love,
 * «Песни», «Лучшее»), many records per artist, a few very common words. Seeded, so every run
 * measures the same catalog.
 */

const artists = [
  'The Beatles', 'Pink Floyd', 'Led Zeppelin', 'The Rolling Stones', 'Queen', 'David Bowie', 'Deep Purple',
  'Black Sabbath', 'The Doors', 'The Who', 'Jimi Hendrix', 'Eric Clapton', 'Fleetwood Mac', 'Eagles', 'ABBA',
  'Bee Gees', 'Elton John', 'Stevie Wonder', 'Marvin Gaye', 'Aretha Franklin', 'Ray Charles', 'Miles Davis',
  'John Coltrane', 'Duke Ellington', 'Louis Armstrong', 'Ella Fitzgerald', 'Frank Sinatra', 'Nat King Cole',
  'Bob Dylan', 'Neil Young', 'Leonard Cohen', 'Joni Mitchell', 'Simon & Garfunkel', 'The Beach Boys',
  'The Velvet Underground', 'Kraftwerk', 'Depeche Mode', 'The Cure', 'Joy Division', 'New Order', 'Radiohead',
  'Nirvana', 'Metallica', 'AC/DC', 'Iron Maiden', 'Judas Priest', 'Dire Straits', 'Genesis', 'Yes',
  'King Crimson', 'Jethro Tull', 'Supertramp', 'The Police', 'U2', 'R.E.M.', 'Talking Heads', 'Blondie',
  'The Clash', 'Sex Pistols', 'Ramones', 'Michael Jackson', 'Madonna', 'Prince', 'Whitney Houston',
  'Bob Marley & The Wailers', 'Santana', 'Creedence Clearwater Revival', 'The Kinks', 'The Animals',
  'Boney M.', 'Modern Talking', 'Scorpions', 'Smokie', 'Uriah Heep', 'Nazareth', 'Demis Roussos',
  'Adriano Celentano', 'Toto Cutugno', 'Al Bano & Romina Power', 'Joe Dassin', 'Mireille Mathieu', 'Édith Piaf',
  'Charles Aznavour', 'Dalida', 'Paul Mauriat Orchestra', 'James Last Orchestra', 'London Symphony Orchestra',
  'Berliner Philharmoniker', 'Glenn Miller Orchestra', 'Count Basie Orchestra', 'Daft Punk', 'Air',
  'Кино', 'Аквариум', 'ДДТ', 'Наутилус Помпилиус', 'Машина времени', 'Алиса', 'Ария', 'Зоопарк',
  'Алла Пугачёва', 'Владимир Высоцкий', 'Булат Окуджава', 'Муслим Магомаев', 'Эдуард Хиль', 'Лев Лещенко',
  'Валерий Леонтьев', 'София Ротару', 'Песняры', 'Самоцветы', 'Цветы', 'Земляне', 'Пикник', 'Агата Кристи',
  'Сплин', 'Мумий Тролль', 'Земфира', 'Би-2', 'Чайф', 'Браво', 'Звуки Му', 'Секрет', 'Кристалл',
  'Оркестр Поля Мориа', 'Государственный симфонический оркестр СССР', 'Ансамбль Александрова',
  'Эдуард Артемьев', 'Давид Тухманов', 'Оркестр Гостелерадио СССР', 'Мелодия', 'Юрий Антонов',
];

const titleWords = [
  'Love', 'Live', 'Night', 'Day', 'Dream', 'Heart', 'Blue', 'Gold', 'Fire', 'Rain', 'Sun', 'Moon', 'Star', 'Road',
  'Time', 'World', 'City', 'Summer', 'Winter', 'Paradise', 'Angel', 'Devil', 'Magic', 'Soul', 'Rock', 'Dance',
  'Song', 'Songs', 'Story', 'Letter', 'Dreams', 'Lights', 'Shadows', 'Echoes', 'Memories', 'Silence', 'Thunder',
  'Любовь', 'Песни', 'Звезда', 'Ночь', 'Город', 'Лето', 'Зима', 'Дорога', 'Мечта', 'Время', 'Небо', 'Солнце',
  'Луна', 'Река', 'Море', 'Ветер', 'Огонь', 'Сердце', 'Весна', 'Осень', 'Романсы', 'Песня', 'Танцы',
];

const venues = ['Royal Albert Hall', 'Fillmore', 'BBC', 'Budokan', 'Apollo', 'Olympia'];

const titlePatterns: Array<(w: () => string, r: () => number) => string> = [
  (w) => `${w()} ${w()}`,
  (w) => `The ${w()} of ${w()}`,
  (_w, r) => `Live at the ${venues[Math.floor(r() * venues.length)]}`,
  (_w, r) => `Greatest Hits${r() > 0.5 ? ` Vol. ${1 + Math.floor(r() * 4)}` : ''}`,
  (w) => `Love ${w()}`,
  (w) => `${w()} Live`,
  () => 'The Best Of',
  (w) => `Песни о ${w().toLowerCase()}`,
  () => 'Лучшее',
  (w) => `Лучшие песни. ${w()}`,
  (w) => `${w()} ${w()} ${w()}`,
  (w) => `${w()}`,
  (w) => `Концерт «${w()}»`,
];

const genres = ['Rock', 'Pop', 'Jazz', 'Blues', 'Soul', 'Funk', 'Disco', 'Electronic', 'Classical', 'Hard Rock',
  'Progressive Rock', 'Punk', 'Reggae', 'Folk', 'Country', 'Рок', 'Эстрада', 'Бард', 'Классика', 'Джаз'];
const labels = ['Мелодия', 'EMI', 'Columbia', 'Atlantic', 'Harvest', 'Parlophone', 'Polydor', 'Philips',
  'Decca', 'RCA Victor', 'Capitol', 'Island', 'Virgin', 'Warner Bros.', 'Elektra', 'Blue Note', 'Apple'];
const countries = ['UK', 'US', 'СССР', 'Germany', 'France', 'Italy', 'Россия', 'Japan', 'Netherlands'];
const conditions = ['Mint', 'Near Mint', 'VG+', 'VG', 'G+', 'Отличное', 'Хорошее'];
const statuses = [
  ...Array<'available'>(14).fill('available'), 'reserved', 'sold', 'sold', 'search_request', 'procurement',
] as const;

/** mulberry32: a tiny seeded PRNG, so the catalog is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateCatalog(count: number, seed = 42): NewRecord[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  // Popular artists own much of a real catalog: square the draw to skew toward the list's head.
  const artist = () => artists[Math.floor(random() ** 2 * artists.length)]!;
  const now = Date.now();
  return Array.from({ length: count }, () => {
    const status = pick(statuses);
    return {
      title: pick(titlePatterns)(() => pick(titleWords), random),
      artist: artist(),
      genre: pick(genres),
      year: 1955 + Math.floor(random() * 70),
      label: pick(labels),
      country: pick(countries),
      condition: pick(conditions),
      price: 500 + Math.round(random() * 150) * 100,
      status,
      preorder_count: status === 'search_request' || status === 'procurement' ? Math.floor(random() * 15) : 0,
      created_at: new Date(now - Math.floor(random() * 3 * 365 * 86_400_000)).toISOString(),
    };
  });
}

/** What customers type: artists in both alphabets, common words, typos, partial words. */
export function generateQueries(count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const fixed = [
    'the', 'live', 'love', 'greatest hits', 'orchestra', 'песни', 'лучшее', 'the best of', 'love songs',
    'битлз', 'пинк флойд', 'лед зеппелин', 'дип перпл', 'pink floid', 'beatels', 'metalica', 'floy', 'zepp',
    'kino', 'akvarium', 'pugacheva', 'алла пугачева', 'vysotsky', 'высоцкий', 'оркестр', 'symphony orchestra',
    'live at the bbc', 'love dream', 'песни о любви', 'ac/dc', 'the rolling stones', 'queen live',
  ];
  const typo = (word: string) => {
    if (word.length < 5) return word;
    const i = 1 + Math.floor(random() * (word.length - 2));
    return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  };
  const queries = new Set(fixed);
  while (queries.size < count) {
    const kind = random();
    const a = pick(artists).toLowerCase();
    const w = pick(titleWords).toLowerCase();
    if (kind < 0.25) queries.add(a);
    else if (kind < 0.4) queries.add(typo(a));
    else if (kind < 0.55) queries.add(a.slice(0, 3 + Math.floor(random() * 4)));
    else if (kind < 0.7) queries.add(`${a.split(' ').at(-1)} ${w}`);
    else if (kind < 0.85) queries.add(`${w} ${pick(titleWords).toLowerCase()}`);
    else queries.add(typo(w));
  }
  return [...queries].slice(0, count);
}
