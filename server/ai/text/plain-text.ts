/**
 * Plain-text hygiene for everything a model answers and everything a customer typed: the sheet
 * and the website show these strings as text, so markup, links and invisible characters go.
 */

const htmlTag = /<\/?[a-z][^>]*>/i;
const markdownPatterns: Array<[RegExp, string]> = [
  [/^\s{0,3}#{1,6}\s/m, 'заголовки markdown (#)'],
  [/\*\*|__|~~/, 'выделение markdown (** или __)'],
  [/`/, 'обратные кавычки markdown'],
  [/\[[^\]]*\]\([^)]*\)/, 'ссылки markdown'],
  [/^\s*[-*+•]\s+\S/m, 'маркированные списки'],
  [/^\s*\d{1,2}[.)]\s+\S/m, 'нумерованные списки'],
];
const urlLike =
  /\b(?:https?:\/\/|ftp:\/\/|www\.)\S+|\b[\w.-]+@[\w-]+\.[a-z]{2,}\b|\b[a-z0-9][a-z0-9-]*\.(?:ru|com|net|org|io|info|biz|me|co|su|рф|shop|store|online|site|xyz|app|dev|ly|gg)(?![\p{L}\p{N}])(?:\/\S*)?/giu;
// Zero-width, bidi overrides and control characters other than newline and tab.
const invisible = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;

/** What in the text is not plain text (a reason in Russian, for the retry prompt), or null. */
export function findMarkup(text: string): string | null {
  if (htmlTag.test(text)) return 'HTML-теги';
  for (const [pattern, what] of markdownPatterns) if (pattern.test(text)) return what;
  return null;
}

export function findUrl(text: string): string | null {
  urlLike.lastIndex = 0;
  return urlLike.exec(text)?.[0] ?? null;
}

/** Strips markup, links and invisible characters; keeps paragraphs (blank lines). */
export function toPlainText(text: string): string {
  return text
    .replace(invisible, '')
    .replace(/```[a-z]*\n?|```/gi, '')
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n\n')
    .replace(/<\/?[a-z][^>]*>/gi, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&laquo;/g, '«')
    .replace(/&raquo;/g, '»')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/&lt;|&gt;/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(urlLike, '')
    .replace(/^\s{0,3}#{1,6}\s+/gm, '')
    .replace(/^\s*[-*+•]\s+/gm, '')
    .replace(/\*\*|__|~~|`/g, '')
    .replace(/[<>]/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** One line of plain text (names, titles, SEO fields). */
export function toPlainLine(text: string, maxLength = 500): string {
  const line = toPlainText(text).replace(/\s+/g, ' ').trim();
  return line.length > maxLength ? line.slice(0, maxLength).trim() : line;
}

export function countWords(text: string): number {
  return text.match(/[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*/gu)?.length ?? 0;
}

/** Share of letters that are Cyrillic (names in Latin script are expected in small numbers). */
export function cyrillicShare(text: string): number {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters === 0) return 0;
  return (text.match(/[\u0400-\u04FF]/g)?.length ?? 0) / letters;
}
