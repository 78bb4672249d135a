import type { ActiveStatus } from '../../../shared/record-status.ts';
import { findPhrase, findStatus, wordsOf } from './admin-words.ts';

/** What the admin meant by a free-text message (no LLM: word lists with typo tolerance). */
export type Intent =
  | { kind: 'greeting' }
  | { kind: 'smalltalk' }
  | { kind: 'menu' }
  | { kind: 'add' }
  | { kind: 'statistics' }
  | { kind: 'analytics' }
  | { kind: 'notifications' }
  | { kind: 'settings' }
  /** Which flow: a record word alone («пластинка»). */
  | { kind: 'record_choice' }
  /** An empty query asks what to look for. */
  | { kind: 'search'; query: string }
  | { kind: 'record'; number: number }
  /** Change a record's status; `query` is a record number or words to search for ('' asks which). */
  | { kind: 'status'; query: string; status: ActiveStatus }
  | { kind: 'unknown' };

// Longest first, so «главное меню» is taken out whole, not as «меню».
const phrases = (...list: string[]) => list.map((p) => p.split(' ')).sort((a, b) => b.length - a.length);

const greetings = phrases('привет', 'приветик', 'здравствуй', 'здравствуйте', 'здрасте', 'добрый день', 'добрый вечер', 'доброе утро',
  'доброй ночи', 'хай', 'салют', 'hello', 'hi', 'hey', 'йо', 'алло', 'приветствую');
const smalltalk = phrases('как дела', 'как ты', 'как жизнь', 'что нового', 'как поживаешь', 'спасибо', 'благодарю', 'пока',
  'до свидания', 'thanks', 'как сам', 'ты тут', 'ты здесь');
const menuWords = phrases('меню', 'menu', 'начало', 'помощь', 'help', 'старт', 'start', 'главное меню', 'что умеешь', 'команды');
const addWords = phrases('добавить', 'добавь', 'добавлю', 'добавим', 'добавление', 'добавьте', 'новая пластинка', 'новую пластинку', 'новый винил',
  'новая запись', 'add', 'завести', 'внести', 'занести');
const statisticsWords = phrases('статистика', 'статистику', 'стата', 'статы', 'дашборд', 'отчет', 'выручка', 'продажи', 'сводка', 'stats', 'statistics');
const analyticsWords = phrases('аналитика', 'аналитику', 'график', 'графики', 'диаграмма', 'диаграммы', 'analytics', 'charts');
const notificationWords = phrases('уведомления', 'уведомление', 'оповещения', 'задачи', 'закупки', 'что делать', 'что нужно сделать', 'notifications');
const settingsWords = phrases('настройки', 'настройка', 'шаблоны', 'шаблон', 'settings');
const searchWords = phrases('найти', 'найди', 'поиск', 'искать', 'ищи', 'поищи', 'покажи', 'показать', 'посмотреть', 'посмотри',
  'изменить', 'измени', 'поменять', 'поменяй', 'редактировать', 'search', 'find', 'где');
const recordWords = phrases('пластинка', 'пластинку', 'пластинки', 'винил', 'винила', 'запись', 'записи', 'альбом', 'record', 'vinyl');
// Words around a status change that are not part of the record's name.
const fillerWords = new Set(['как', 'на', 'статус', 'пометь', 'отметь', 'поставь', 'сделай', 'теперь', 'уже', 'is', 'as', 'now',
  'пластинка', 'пластинку', 'запись', 'винил', 'альбом', 'это', 'она', 'mark', 'set', 'status', 'to', 'изменить', 'измени', 'поменяй']);

const has = (words: string[], list: string[][]) => list.some((p) => findPhrase(words, p) >= 0);
/** The words left after the first phrase of `list` is taken out. */
const without = (words: string[], list: string[][]) => {
  for (const p of list) {
    const at = findPhrase(words, p);
    if (at >= 0) return [...words.slice(0, at), ...words.slice(at + p.length)];
  }
  return words;
};
/** The original text's words (case and spelling kept) for a search query. */
const queryOf = (words: string[]) => words.filter((w) => !fillerWords.has(w)).join(' ');

export function recognizeIntent(text: string): Intent {
  const words = wordsOf(text);
  if (words.length === 0) return { kind: 'unknown' };

  // «123», «#123», «№123»: the record card.
  const number = /^\s*[#№]?\s*(\d{1,9})\s*$/.exec(text);
  if (number) return { kind: 'record', number: Number(number[1]) };

  // A status word with something else: a status change («Abbey Road продана», «#12 в наличии»).
  const status = findStatus(words);
  if (status) {
    // A status word alone («продана»): the bot asks which record.
    return { kind: 'status', query: queryOf(status.rest.map((w) => w.replace(/^#/, ''))), status: status.status };
  }

  if (has(words, addWords)) return { kind: 'add' };
  if (has(words, statisticsWords)) return { kind: 'statistics' };
  if (has(words, analyticsWords)) return { kind: 'analytics' };
  if (has(words, notificationWords)) return { kind: 'notifications' };
  if (has(words, settingsWords)) return { kind: 'settings' };

  if (has(words, searchWords)) {
    return { kind: 'search', query: queryOf(without(without(words, searchWords), recordWords)) };
  }
  if (has(words, recordWords)) {
    const rest = without(words, recordWords);
    return rest.length === 0 ? { kind: 'record_choice' } : { kind: 'search', query: queryOf(rest) };
  }
  // Greetings and small talk only when that is all there is: «Привет, Pink Floyd» is a search.
  const chat = [...greetings, ...smalltalk];
  let rest = words;
  for (let i = 0; i < 4; i++) rest = without(rest, chat);
  if (rest.length === 0) return has(words, smalltalk) ? { kind: 'smalltalk' } : { kind: 'greeting' };
  if (has(words, menuWords) && without(words, menuWords).length === 0) return { kind: 'menu' };

  const query = queryOf(rest);
  // Something that could be a title or an artist: at least two letters or digits in a row.
  if (/[\p{L}\p{N}]{2,}/u.test(query)) return { kind: 'search', query };
  return { kind: 'unknown' };
}
