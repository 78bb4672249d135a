/**
 * Text is normalised once, before it is stored, so search, slugs and comparisons see one form of
 * every title: a pasted «Мумий Тролль» with a decomposed «й», a zero-width space from a web page
 * or a stray control character from a spreadsheet export would otherwise make a record that no
 * search finds. The database repeats exactly these steps on write (vinyl_clean_text in
 * supabase/migrations/20261201002000_record_fields.sql; a test compares the two).
 *
 * Steps: drop invisible format characters (zero-width space/joiners, soft hyphen, BOM, direction
 * marks); turn every line break into \n and every Unicode space into a plain space; drop the
 * other control characters; compose to NFC. Then a one-line text has each run of spaces, tabs and
 * line breaks made one space, and a long text (multiline) keeps its line breaks and tabs; both are
 * trimmed. Plain JS (no Intl, no Node), so the Apps Script add-on runs the same code.
 */

// The character classes are spelled out (not \s) so that the SQL copy matches them exactly.
const invisible = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const lineBreaks = /\r\n?|[\u000B\u000C\u0085\u2028\u2029]/g;
const spaces = /[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
const controls = /[\u0001-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u0000]/g;

/** The normalised form of a text; '' when nothing visible is left. */
export function normalizeText(value: string, multiline = false): string {
  const text = value
    .replace(invisible, '')
    .replace(lineBreaks, '\n')
    .replace(spaces, ' ')
    .replace(controls, '')
    .normalize('NFC');
  return multiline ? text.replace(/^[ \t\n]+|[ \t\n]+$/g, '') : text.replace(/[ \t\n]+/g, ' ').replace(/^ | $/g, '');
}

/** Length as the database counts it (code points: an emoji is one character, not two). */
export function textLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}
