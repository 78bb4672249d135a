import { z } from 'zod';
import { cyrillicShare, findMarkup, findUrl, toPlainLine } from '../text/plain-text.ts';
import type { CheckResult } from './description-check.ts';

/** Google shows about 50-60 characters of a title and 150-160 of a description (facts.md). */
export const seoRules = {
  title: { min: 50, max: 60 },
  description: { min: 150, max: 160 },
  keywords: { min: 5, max: 10 },
} as const;

export interface SeoFields {
  seo_title: string;
  seo_description: string;
  seo_keywords: string;
}

/** What the model is asked to answer; keywords may come as a list or a comma-separated line. */
export const seoAnswerSchema = z.object({
  seo_title: z.string(),
  seo_description: z.string(),
  seo_keywords: z.union([z.string(), z.array(z.string())]),
});

/** Lowercased, deduplicated keywords, each plain text of 2-60 characters. */
export function normalizeKeywords(input: string | string[]): string[] {
  const items = Array.isArray(input) ? input : input.split(/[,;\n]/);
  const seen = new Set<string>();
  for (const item of items) {
    const keyword = toPlainLine(item, 200).toLowerCase().replace(/^[\s"'«.]+|[\s"'».]+$/g, '');
    if (keyword.length >= 2 && keyword.length <= 60 && !findUrl(keyword)) seen.add(keyword);
  }
  return [...seen];
}

function lineProblem(name: string, value: string, min: number, max: number): string | null {
  if (findMarkup(value) || findUrl(value)) return `${name}: без разметки и ссылок`;
  const length = toPlainLine(value).length;
  if (length < min || length > max) return `${name}: ${length} символов, нужно от ${min} до ${max}`;
  return null;
}

/** Checks a parsed SEO answer against the lengths and the title pattern; names every problem. */
export function checkSeo(answer: z.infer<typeof seoAnswerSchema>, record: { artist: string }): CheckResult<SeoFields> {
  const problems: string[] = [];
  const title = toPlainLine(answer.seo_title);
  const description = toPlainLine(answer.seo_description);
  const titleProblem = lineProblem('seo_title', answer.seo_title, seoRules.title.min, seoRules.title.max);
  if (titleProblem) problems.push(titleProblem);
  else {
    if (!/винил/i.test(title)) problems.push('seo_title: должен быть по образцу «Купить винил Исполнитель - Альбом (Год) | …»');
    const artistStart = record.artist.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (artistStart.length > 1 && !title.toLowerCase().includes(artistStart)) problems.push('seo_title: нет имени исполнителя');
  }
  const descriptionProblem = lineProblem('seo_description', answer.seo_description, seoRules.description.min, seoRules.description.max);
  if (descriptionProblem) problems.push(descriptionProblem);
  else if (cyrillicShare(description) < 0.3) problems.push('seo_description: нужно по-русски');
  const keywords = normalizeKeywords(answer.seo_keywords).slice(0, seoRules.keywords.max);
  if (keywords.length < seoRules.keywords.min) problems.push(`seo_keywords: ${keywords.length} ключевых слов, нужно от 5 до 10`);
  if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
  return { ok: true, value: { seo_title: title, seo_description: description, seo_keywords: keywords.join(', ') } };
}
