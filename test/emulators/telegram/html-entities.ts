// parse_mode=HTML, validated the way the Bot API server (tdlib) does it, so a bot
// that interpolates unescaped user data fails here as it would in production.
// Rules: https://core.telegram.org/bots/api#html-style
// Error texts mirror the real server's ("Unsupported start tag "x" at byte offset N", ...).
import type { MessageEntity } from 'node-telegram-bot-api/types';

export class EntityParseError extends Error {}

export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

const ENTITY_TYPES: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler',
  span: 'spoiler', a: 'text_link', code: 'code', pre: 'pre', blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

// The docs list only these named entities; numeric ones are allowed too.
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface OpenTag {
  tag: string;
  arg: string;
  offset: number;
}

/** Decodes the HTML entity at `pos` like tdlib: `;` is optional, numeric must be in 1..0x10FFFF. */
function decodeEntity(src: string, pos: number): { char: string; end: number } | null {
  let end = pos + 1;
  let char: string | undefined;
  if (src[end] === '#') {
    end++;
    const hex = src[end] === 'x';
    if (hex) end++;
    const start = end;
    while (end < src.length && (hex ? /[0-9a-fA-F]/ : /[0-9]/).test(src[end] ?? '')) end++;
    const digits = src.slice(start, end);
    const code = digits.length > 0 && digits.length <= 7 ? parseInt(digits, hex ? 16 : 10) : 0;
    if (code <= 0 || code >= 0x10ffff) return null;
    char = String.fromCodePoint(code);
  } else {
    while (end < src.length && /[a-zA-Z]/.test(src[end] ?? '')) end++;
    char = NAMED[src.slice(pos + 1, end)];
    if (char === undefined) return null;
  }
  return { char, end: src[end] === ';' ? end + 1 : end };
}

const isSpace = (c: string | undefined): boolean =>
  c === undefined || c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\v' || c === '\0';

export function parseHtml(src: string, opts: { strictEntities?: boolean } = {}): ParsedText {
  const byteOffset = (i: number): number => Buffer.byteLength(src.slice(0, i), 'utf8');
  const fail = (msg: string): never => {
    throw new EntityParseError(msg);
  };
  let out = '';
  const entities: MessageEntity[] = [];
  const stack: OpenTag[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '&') {
      const decoded = decodeEntity(src, i);
      if (decoded) {
        out += decoded.char;
        i = decoded.end;
        continue;
      }
      // Telegram would render e.g. "&nbsp;" literally; almost always a double-escaping bug.
      const unknown = /^&#?[a-zA-Z0-9]+;/.exec(src.slice(i, i + 40));
      if (opts.strictEntities !== false && unknown) {
        fail(`Unsupported HTML entity "${unknown[0]}" at byte offset ${byteOffset(i)}`);
      }
    }
    if (c !== '<') {
      out += c;
      i++;
      continue;
    }
    const begin = i++;
    if (src[i] !== '/') {
      while (!isSpace(src[i]) && src[i] !== '>') i++;
      if (i >= src.length) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
      const tag = src.slice(begin + 1, i).toLowerCase();
      if (!(tag in ENTITY_TYPES)) fail(`Unsupported start tag "${tag}" at byte offset ${byteOffset(begin)}`);
      let arg = '';
      while (src[i] !== '>') {
        while (i < src.length && isSpace(src[i])) i++;
        if (src[i] === '>') break;
        if (i >= src.length) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
        const nameBegin = i;
        while (!isSpace(src[i]) && src[i] !== '=' && src[i] !== '>') i++;
        const name = src.slice(nameBegin, i).toLowerCase();
        if (name === '') fail(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(begin)}`);
        while (i < src.length && isSpace(src[i])) i++;
        if (src[i] !== '=') {
          // The only value-less attribute Telegram knows: <blockquote expandable>.
          if (tag === 'blockquote' && name === 'expandable') {
            arg = 'expandable';
            continue;
          }
          fail(`Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${byteOffset(begin)}`);
        }
        i++;
        while (i < src.length && isSpace(src[i])) i++;
        if (i >= src.length) fail(`Unclosed start tag "${tag}" at byte offset ${byteOffset(begin)}`);
        let value = '';
        const quote = src[i];
        if (quote !== '"' && quote !== "'") {
          const tokenBegin = i;
          while (i < src.length && /[a-zA-Z0-9.-]/.test(src[i] ?? '')) i++;
          value = src.slice(tokenBegin, i).toLowerCase();
          if (!isSpace(src[i]) && src[i] !== '>') fail(`Unexpected end of name token at byte offset ${byteOffset(tokenBegin)}`);
        } else {
          i++;
          while (i < src.length && src[i] !== quote) {
            const decoded = src[i] === '&' ? decodeEntity(src, i) : null;
            if (decoded) {
              value += decoded.char;
              i = decoded.end;
            } else {
              value += src[i++];
            }
          }
          if (src[i] === quote) i++;
        }
        if (i >= src.length) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`);
        if (tag === 'a' && name === 'href') arg = value;
        else if (tag === 'code' && name === 'class' && value.startsWith('language-')) arg = value.slice(9);
        else if (tag === 'span' && name === 'class' && value.startsWith('tg-')) arg = value.slice(3);
        else if (tag === 'tg-emoji' && name === 'emoji-id') arg = value;
      }
      if (tag === 'span' && arg !== 'spoiler') fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`);
      if (tag === 'tg-emoji' && !/^[1-9][0-9]*$/.test(arg)) fail('Invalid custom emoji identifier specified');
      stack.push({ tag, arg, offset: out.length });
    } else {
      if (stack.length === 0) fail(`Unexpected end tag at byte offset ${byteOffset(begin)}`);
      i++;
      while (!isSpace(src[i]) && src[i] !== '>') i++;
      const endTag = src.slice(begin + 2, i).toLowerCase();
      while (i < src.length && isSpace(src[i])) i++;
      if (src[i] !== '>') fail(`Unclosed end tag at byte offset ${byteOffset(begin)}`);
      const open = stack.pop() as OpenTag;
      if (endTag !== '' && endTag !== open.tag) {
        fail(`Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${open.tag}>", found "</${endTag}>"`);
      }
      closeEntity(open, out, entities);
    }
    i++; // skip '>'
  }
  const unclosed = stack.pop();
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  // A language is only meaningful on pre; a lone <code class="language-x"> is plain code.
  for (const e of entities) if (e.type === 'code') delete e.language;
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

function closeEntity(open: OpenTag, out: string, entities: MessageEntity[]): void {
  const length = out.length - open.offset;
  if (length === 0) return; // the server silently drops empty entities
  const type = open.tag === 'blockquote' && open.arg === 'expandable' ? 'expandable_blockquote' : (ENTITY_TYPES[open.tag] as string);
  const entity: MessageEntity = { type, offset: open.offset, length };
  if (open.tag === 'a') entity.url = open.arg || out.slice(open.offset);
  if (open.tag === 'tg-emoji') entity.custom_emoji_id = open.arg;
  if (open.tag === 'pre') {
    // <pre><code class="language-x">...</code></pre> collapses into one pre entity with a language.
    const last = entities.at(-1);
    if (last && last.type === 'code' && last.offset === open.offset && last.length === length) {
      entities.pop();
      if (last.language) entity.language = last.language;
    }
  }
  if (open.tag === 'code' && open.arg) entity.language = open.arg;
  entities.push(entity);
}

/** The server trims surrounding whitespace from message text; entities shift with it. */
export function trimParsed(parsed: ParsedText): ParsedText {
  const lead = parsed.text.length - parsed.text.trimStart().length;
  const text = parsed.text.trim();
  const entities: MessageEntity[] = [];
  for (const e of parsed.entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(text.length, e.offset + e.length - lead);
    if (end > start) entities.push({ ...e, offset: start, length: end - start });
  }
  return { text, entities };
}

/** Escapes text for parse_mode=HTML (what a correct bot must do with user data). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
