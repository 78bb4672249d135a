/**
 * How a word sounds, as a key that a Russian transcription of an English name, the English
 * spelling and the Latin transliterations of a Russian name share: «квин», "kvin", «куин» and
 * Queen are all `kvn`; «майкл джексон» and Michael Jackson are `mkl Jksn`; Pugacheva, Pugachova and
 * «Пугачёва» are `pgCv`. The rules and why they are there: docs/search.md.
 *
 * The database computes the same keys (vinyl_sound_keys in
 * supabase/migrations/20261202002000_search_sounds.sql; test/catalog/search-sound.test.ts compares
 * the two on the whole search vocabulary), so a client-side index can match what the server does.
 * Words arrive normalised by shared/search-key.ts (its transliterate is the one Cyrillic-to-Latin
 * mapping). Plain JS (no Intl, no Node), safe in a browser.
 */

type Rule = readonly [pattern: string, replacement: string];

/**
 * The default reading of each spelling, in order. Patterns are written in the regex dialect that
 * JavaScript and PostgreSQL share (lookahead and lookbehind included); replacements use `\1`-free
 * literals. Capitals mark the sounds Latin has no single letter for: S ш/sh, C ч/ch, J дж/ж/j, A
 * a leading vowel.
 */
export const soundRules: readonly Rule[] = [
  ['ouis$', 'ui'],
  ['shch|shh|sch', 'S'],
  ['tch', 'C'],
  ['dzh|dj|dg(?=[eiy])', 'J'],
  ['zh', 'J'],
  ['ch(?=[rl])', 'k'],
  ['ch', 'C'],
  ['sh', 'S'],
  ['kh', 'h'],
  ['ph', 'f'],
  ['th', 't'],
  ['ck', 'k'],
  ['qu', 'kv'],
  ['q', 'k'],
  ['x', 'ks'],
  ['^who', 'ho'],
  ['^wh', 'v'],
  ['^gh', 'g'],
  ['gh', ''],
  ['^kn|kn(?=ow)', 'n'],
  ['^wr', 'r'],
  ['alk', 'ak'],
  ['(?<=[aeiouy])sion', 'Jn'],
  ['sion|tion', 'Sn'],
  ['(?<=[aeiou])sur', 'Jur'],
  ['c(?=[eiy])', 's'],
  ['c', 'k'],
  ['^j', 'J'],
  ['j', ''],
  ['w(?=[aeiouy])', 'v'],
  ['w', ''],
  ['(?<![gqy])u(?=[aio]|e.)', 'v'],
  ['h(?![aeiouy])', ''],
  ['z', 's'],
];

/** The other readings a spelling may have; each one gives a word an extra key. */
export const soundVariants: Readonly<Record<string, readonly Rule[]>> = {
  // ch is к in Michael, ш in Depeche and Machine (French, German).
  ch_k: [['ch', 'k']],
  ch_sh: [['ch', 'sh']],
  // g before e, i, y is дж in George, Genesis, Fitzgerald.
  g_j: [['g(?=[eiy])', 'dzh']],
  // A leading j is й in ISO-style Russian (Jurij).
  j_y: [['^j', 'y']],
  // German au is ав (Autobahn → Автобан).
  au_av: [['au', 'av']],
  // th is з/с in Brothers → Бразерс.
  th_z: [['th', 'z']],
  // c is ц in ISO-style Russian (Vysockij, Tanec).
  c_ts: [['c', 'ts']],
};

const finalSteps: readonly Rule[] = [
  ['^[aeiouy]+', 'A'],
  ['[aeiouy]', ''],
];

function applyRules(word: string, rules: readonly Rule[]): string {
  return rules.reduce((text, [pattern, replacement]) => text.replace(new RegExp(pattern, 'g'), replacement), word);
}

function soundKey(word: string): string {
  return applyRules(applyRules(word, soundRules), finalSteps).replace(/(.)\1+/g, '$1');
}

/**
 * The sound keys of one normalised word (lower-case Latin letters, the form search_words holds):
 * the default reading first, then the variants that differ and are two sounds or longer. A word
 * with digits or other
 * characters has none: it matches only as written.
 */
export function soundKeys(word: string): string[] {
  if (!/^[a-z]+$/.test(word)) return [];
  const main = soundKey(word);
  const keys = main === '' ? [] : [main];
  // A variant of one sound (joy read as "oy") would match too much to be worth it.
  for (const rules of Object.values(soundVariants)) {
    const key = soundKey(applyRules(word, rules));
    if (key.length >= 2 && !keys.includes(key)) keys.push(key);
  }
  return keys;
}
