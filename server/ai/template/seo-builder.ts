import { normalizeKeywords, seoRules, type SeoFields } from '../checks/seo-check.ts';
import type { RecordFacts } from '../record-snapshot.ts';

/**
 * Deterministic SEO fields that always meet the rules: title 50-60 characters in the pattern
 * «Купить винил {Artist} - {Album} ({Year}) | Виниловые пластинки» (the suffix adapts, long
 * names are shortened), description 150-160 characters, 5-10 keywords.
 */
export function buildSeo(facts: RecordFacts): SeoFields {
  return { seo_title: buildTitle(facts), seo_description: buildDescription(facts), seo_keywords: buildKeywords(facts).join(', ') };
}

// Sorted so the design's suffix is tried first; the lengths leave no gap wider than the
// 11-character window, so some suffix always fits a base of 10-60 characters.
const titleSuffixes = [
  ' | Виниловые пластинки',
  ' | Виниловые пластинки для коллекционеров',
  ' | Виниловые пластинки для коллекции',
  ' | Виниловая пластинка LP',
  ' | Пластинка LP',
  ' | Винил LP',
  ' | Винил',
  '',
];

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, Math.max(1, max - 1));
  const atWord = cut.replace(/\s+\S*$/, '');
  return `${(atWord.length >= max / 2 ? atWord : cut).replace(/[\s,.:;—-]+$/, '')}…`;
}

export function buildTitle(facts: RecordFacts): string {
  const { min, max } = seoRules.title;
  const year = facts.year ? ` (${facts.year})` : '';
  const prefix = 'Купить винил ';
  let artist = facts.artist;
  let album = facts.title;
  const base = () => `${prefix}${artist} - ${album}${year}`;
  // Leave room for the shortest non-empty suffix; shorten the album first, then the artist.
  const budget = max - ' | Винил'.length;
  if (base().length > budget) {
    const room = budget - prefix.length - ' - '.length - year.length;
    artist = shorten(artist, Math.max(8, Math.min(artist.length, Math.floor(room / 2))));
    album = shorten(album, Math.max(4, room - artist.length));
  }
  for (const suffix of titleSuffixes) {
    const title = base() + suffix;
    if (title.length >= min && title.length <= max) return title;
  }
  return shorten(base(), max).padEnd(min, ' ').trimEnd(); // not reached: see seo-builder.test.ts
}

const descriptionTails = [
  ' Подробности и фото — на странице пластинки.',
  ' Винил для коллекции и для души.',
  ' Звук, который хочется слушать целиком.',
  ' Закажите, пока экземпляр свободен.',
  ' Пишите, ответим на вопросы.',
];

export function buildDescription(facts: RecordFacts): string {
  const { min, max } = seoRules.description;
  const what = `Виниловая пластинка ${shorten(facts.artist, 30)} «${shorten(facts.title, 40)}»${facts.year ? `, ${facts.year}` : ''}`;
  const details = [facts.genre ? `жанр: ${shorten(facts.genre.toLowerCase(), 30)}` : '', facts.condition ? `состояние: ${shorten(facts.condition, 30)}` : '']
    .filter(Boolean)
    .join(', ');
  let text = `${what}.${details ? ` ${details[0]!.toUpperCase()}${details.slice(1)}${details.endsWith('…') ? '' : '.'}` : ''} Купить винил в нашем магазине.`;
  for (const tail of descriptionTails) {
    if (text.length >= min) break;
    text += tail;
  }
  if (text.length <= max) return text;
  // Cut at a word boundary inside the window; a sentence end reads better than a cut.
  const window = text.slice(0, max);
  const sentenceEnd = window.lastIndexOf('.');
  if (sentenceEnd + 1 >= min) return window.slice(0, sentenceEnd + 1);
  const space = window.lastIndexOf(' ');
  const cut = window.slice(0, space).replace(/[\s,.:;—-]+$/, '');
  if (space >= min && cut.length + 1 >= min) return `${cut}…`;
  return `${window.slice(0, max - 1)}…`;
}

export function buildKeywords(facts: RecordFacts): string[] {
  const decade = facts.year ? `винил ${Math.floor(facts.year / 10) * 10}-х` : '';
  const keywords = normalizeKeywords([
    facts.artist,
    facts.title,
    `${facts.artist} винил`,
    facts.genre ?? '',
    decade,
    'виниловая пластинка',
    'купить винил',
    'винил lp',
    'пластинки для коллекции',
    'виниловые пластинки',
    'магазин винила',
  ]);
  return keywords.slice(0, seoRules.keywords.max);
}
