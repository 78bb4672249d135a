import type { NewRecord } from './catalog-repository.ts';

/** A demo album: real artist, title, year, label, country and genre; price and status are the shop's. */
interface DemoAlbum extends Omit<NewRecord, 'preorder_count'> {
  /** How many (demo) customers have asked for it. */
  demand?: number;
}

/**
 * The catalog loaded on first start when the database is empty, so the API, the search and the
 * bot have something real to show. Statuses cover the whole lifecycle.
 */
export const demoCatalog: DemoAlbum[] = [
  { title: 'The Dark Side of the Moon', artist: 'Pink Floyd', genre: 'Progressive Rock', year: 1973, label: 'Harvest', country: 'UK', condition: 'Near Mint', price: 8500, status: 'available' },
  { title: 'Wish You Were Here', artist: 'Pink Floyd', genre: 'Progressive Rock', year: 1975, label: 'Harvest', country: 'UK', condition: 'VG+', price: 6900, status: 'available' },
  { title: 'The Wall', artist: 'Pink Floyd', genre: 'Progressive Rock', year: 1979, label: 'Harvest', country: 'UK', condition: null, price: null, status: 'procurement', demand: 12 },
  { title: 'Abbey Road', artist: 'The Beatles', genre: 'Rock', year: 1969, label: 'Apple', country: 'UK', condition: 'VG+', price: 7500, status: 'available' },
  { title: "Sgt. Pepper's Lonely Hearts Club Band", artist: 'The Beatles', genre: 'Rock', year: 1967, label: 'Parlophone', country: 'UK', condition: 'VG', price: 6200, status: 'sold' },
  { title: 'Led Zeppelin IV', artist: 'Led Zeppelin', genre: 'Hard Rock', year: 1971, label: 'Atlantic', country: 'UK', condition: 'Near Mint', price: 9000, status: 'reserved' },
  { title: 'A Night at the Opera', artist: 'Queen', genre: 'Rock', year: 1975, label: 'EMI', country: 'UK', condition: 'VG+', price: 5800, status: 'available' },
  { title: 'The Rise and Fall of Ziggy Stardust and the Spiders from Mars', artist: 'David Bowie', genre: 'Glam Rock', year: 1972, label: 'RCA Victor', country: 'UK', condition: 'VG+', price: 7200, status: 'available' },
  { title: 'Kind of Blue', artist: 'Miles Davis', genre: 'Jazz', year: 1959, label: 'Columbia', country: 'US', condition: 'Mint, оригинальный пресс', price: 14500, status: 'available' },
  { title: 'A Love Supreme', artist: 'John Coltrane', genre: 'Jazz', year: 1965, label: 'Impulse!', country: 'US', condition: 'VG+', price: 8800, status: 'available' },
  { title: 'Rumours', artist: 'Fleetwood Mac', genre: 'Rock', year: 1977, label: 'Warner Bros.', country: 'US', condition: 'Near Mint', price: 6500, status: 'available' },
  { title: 'Nevermind', artist: 'Nirvana', genre: 'Grunge', year: 1991, label: 'DGC', country: 'US', condition: 'Near Mint', price: 7900, status: 'available' },
  { title: 'OK Computer', artist: 'Radiohead', genre: 'Alternative Rock', year: 1997, label: 'Parlophone', country: 'UK', condition: null, price: null, status: 'search_request', demand: 7 },
  { title: 'Thriller', artist: 'Michael Jackson', genre: 'Pop', year: 1982, label: 'Epic', country: 'US', condition: 'VG+', price: 5200, status: 'available' },
  { title: 'Back in Black', artist: 'AC/DC', genre: 'Hard Rock', year: 1980, label: 'Atlantic', country: 'Australia', condition: 'VG+', price: 6100, status: 'available' },
  { title: 'Autobahn', artist: 'Kraftwerk', genre: 'Electronic', year: 1974, label: 'Philips', country: 'Germany', condition: 'VG', price: 5400, status: 'available' },
  { title: 'Random Access Memories', artist: 'Daft Punk', genre: 'Electronic', year: 2013, label: 'Columbia', country: 'France', condition: 'Mint', price: 6800, status: 'available' },
  { title: 'Master of Puppets', artist: 'Metallica', genre: 'Heavy Metal', year: 1986, label: 'Elektra', country: 'US', condition: 'VG+', price: 7400, status: 'reserved' },
  { title: 'Exodus', artist: 'Bob Marley & The Wailers', genre: 'Reggae', year: 1977, label: 'Island', country: 'Jamaica', condition: 'VG+', price: 5900, status: 'available' },
  { title: 'Machine Head', artist: 'Deep Purple', genre: 'Hard Rock', year: 1972, label: 'Purple Records', country: 'UK', condition: 'VG', price: 5600, status: 'sold' },
  { title: 'Sticky Fingers', artist: 'The Rolling Stones', genre: 'Rock', year: 1971, label: 'Rolling Stones Records', country: 'UK', condition: null, price: null, status: 'procurement', demand: 10 },
  { title: 'Unknown Pleasures', artist: 'Joy Division', genre: 'Post-Punk', year: 1979, label: 'Factory', country: 'UK', condition: 'Near Mint', price: 8200, status: 'available' },
  { title: 'Hotel California', artist: 'Eagles', genre: 'Rock', year: 1976, label: 'Asylum', country: 'US', condition: 'VG+', price: 5700, status: 'available' },
  { title: 'Brothers in Arms', artist: 'Dire Straits', genre: 'Rock', year: 1985, label: 'Vertigo', country: 'UK', condition: 'Near Mint', price: 6300, status: 'available' },
  { title: 'Songs in the Key of Life', artist: 'Stevie Wonder', genre: 'Soul', year: 1976, label: 'Tamla', country: 'US', condition: null, price: null, status: 'search_request', demand: 3 },
  { title: 'Back to Black', artist: 'Amy Winehouse', genre: 'Soul', year: 2006, label: 'Island', country: 'UK', condition: 'Mint', price: 5500, status: 'available' },
  { title: 'Violator', artist: 'Depeche Mode', genre: 'Synth-Pop', year: 1990, label: 'Mute', country: 'UK', condition: 'VG+', price: 6000, status: 'sold' },
  { title: 'Группа крови', artist: 'Кино', genre: 'Рок', year: 1988, label: 'Мелодия', country: 'СССР', condition: 'VG+', price: 9500, status: 'available' },
  { title: 'Звезда по имени Солнце', artist: 'Кино', genre: 'Рок', year: 1989, label: 'Мелодия', country: 'СССР', condition: null, price: null, status: 'procurement', demand: 14 },
  { title: 'Равноденствие', artist: 'Аквариум', genre: 'Рок', year: 1987, label: 'Мелодия', country: 'СССР', condition: 'VG', price: 4200, status: 'available' },
  { title: 'Князь тишины', artist: 'Наутилус Помпилиус', genre: 'Рок', year: 1989, label: 'Мелодия', country: 'СССР', condition: 'VG+', price: 4800, status: 'reserved' },
  { title: 'Зеркало души', artist: 'Алла Пугачёва', genre: 'Эстрада', year: 1978, label: 'Мелодия', country: 'СССР', condition: 'VG+', price: 3500, status: 'available' },
  { title: 'Герой асфальта', artist: 'Ария', genre: 'Хэви-метал', year: 1987, label: 'Мелодия', country: 'СССР', condition: 'VG', price: 4500, status: 'available' },
  { title: 'В добрый час', artist: 'Машина времени', genre: 'Рок', year: 1986, label: 'Мелодия', country: 'СССР', condition: null, price: null, status: 'search_request', demand: 4 },
  { title: 'Земфира', artist: 'Земфира', genre: 'Рок', year: 1999, label: 'Real Records', country: 'Россия', condition: 'Near Mint', price: 7800, status: 'available' },
  { title: 'Песняры', artist: 'Песняры', genre: 'Фолк-рок', year: 1971, label: 'Мелодия', country: 'СССР', condition: 'VG', price: 3200, status: 'sold' },
];
