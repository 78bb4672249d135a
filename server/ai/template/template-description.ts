import { checkDescription, descriptionRules } from '../checks/description-check.ts';
import type { RecordFacts } from '../record-snapshot.ts';
import { countWords } from '../text/plain-text.ts';
import {
  artistPhrases,
  closingPhrases,
  collectorPhrases,
  conditionPhrases,
  eraPhrases,
  fillerPhrases,
  genreSentence,
  listeningPhrases,
  openings,
  pressingPhrases,
  type PhraseContext,
} from './description-phrases.ts';
import { seededRandom } from './seeded-random.ts';

/**
 * The description when no model is configured or none gave a usable answer: Russian, 300-500
 * words, built only from the record's fields, and never failing. A long customer-typed name
 * (a search request) could push the Latin share up; the text then refers to it generically.
 */
export function templateDescription(facts: RecordFacts, seed: string): string {
  const text = compose(facts, seed);
  if (checkDescription(text).ok) return text;
  const generic = compose({ ...facts, title: 'этот альбом', artist: 'исполнителя', label: null, country: null, genre: null }, seed);
  if (checkDescription(generic).ok) return generic;
  // Unreachable with the phrase set (test/ai/template-description.test.ts checks the extremes).
  return compose({ ...facts, title: 'этот альбом', artist: 'исполнителя', label: null, country: null, genre: null, condition: null }, 'x');
}

function compose(facts: RecordFacts, seed: string): string {
  const pick = seededRandom(`${seed}|${facts.title}|${facts.artist}`);
  const one = <T>(items: T[]): T => items[pick(items.length)]!;
  const c: PhraseContext = {
    artist: facts.artist,
    title: facts.title,
    year: facts.year,
    genre: facts.genre,
    label: facts.label,
    country: facts.country,
    condition: facts.condition,
    status: facts.status,
  };

  const middle = [
    `${one(eraPhrases(c.year))(c)} ${genreSentence(c.genre, pick)}`,
    one(artistPhrases)(c),
    one(listeningPhrases)(c),
    one(pressingPhrases)(c),
    one(conditionPhrases(c.condition))(c),
  ];
  // Shuffle the middle so texts differ in shape, not only in wording.
  for (let i = middle.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [middle[i], middle[j]] = [middle[j]!, middle[i]!];
  }
  const paragraphs = [one(openings)(c), ...middle, one(collectorPhrases)(c), one(closingPhrases(c.status))(c)];

  const fillers = [...fillerPhrases];
  while (countWords(paragraphs.join(' ')) < descriptionRules.minWords + 10 && fillers.length > 0) {
    const [filler] = fillers.splice(pick(fillers.length), 1);
    paragraphs.splice(paragraphs.length - 1, 0, filler!(c));
  }
  // Long names can push past the limit: drop optional paragraphs (collector advice first).
  while (countWords(paragraphs.join(' ')) > descriptionRules.maxWords && paragraphs.length > 4) {
    paragraphs.splice(paragraphs.length - 2, 1);
  }
  return paragraphs.join('\n\n');
}
