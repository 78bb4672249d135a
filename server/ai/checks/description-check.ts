import { countWords, cyrillicShare, findMarkup, findUrl, toPlainText } from '../text/plain-text.ts';

/** The description's rules (issue 5, stage 2); the template generator is held to them too. */
export const descriptionRules = { minWords: 300, maxWords: 500, minCyrillicShare: 0.8 } as const;

export type CheckResult<T> = { ok: true; value: T } | { ok: false; reason: string };

// «Вот описание…», «Конечно! …», «Описание: …», "Here is…": the model talking instead of the text.
const preamble = new RegExp(
  '^\\s*(?:(?:вот|конечно|разумеется|ниже|представляю|предлагаю|с удовольствием|here|sure|certainly|of course|okay)(?!\\p{L})' +
    '|хорошо[,!.]|итак[,:]|описание(?:\\s+пластинки)?\\s*:)',
  'iu',
);

/** Checks a model's answer for stage 2; on success gives the cleaned plain text. */
export function checkDescription(answer: string): CheckResult<string> {
  const raw = answer.trim();
  if (raw === '') return { ok: false, reason: 'ответ пустой' };
  if (preamble.test(raw)) return { ok: false, reason: 'текст начинается со вступления вроде «Вот описание…»: нужен только сам текст' };
  const markup = findMarkup(raw);
  if (markup) return { ok: false, reason: `в тексте есть ${markup}: нужен простой текст без разметки` };
  const url = findUrl(raw);
  if (url) return { ok: false, reason: 'в тексте есть ссылка или адрес: ссылки не нужны' };
  const text = toPlainText(raw);
  const share = cyrillicShare(text);
  if (share < descriptionRules.minCyrillicShare) {
    return { ok: false, reason: `текст не на русском языке (кириллица — ${Math.round(share * 100)}% букв): пиши по-русски` };
  }
  const words = countWords(text);
  if (words < descriptionRules.minWords) return { ok: false, reason: `слишком коротко: ${words} слов, нужно от 300 до 500` };
  if (words > descriptionRules.maxWords) return { ok: false, reason: `слишком длинно: ${words} слов, нужно от 300 до 500` };
  return { ok: true, value: text };
}
