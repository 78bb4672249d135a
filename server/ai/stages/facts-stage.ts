import { z } from 'zod';
import type { CheckResult } from '../checks/description-check.ts';
import type { ProviderChain } from '../llm/provider-chain.ts';
import { factsPrompt, parseJsonObject } from '../prompts.ts';
import type { RecordFacts } from '../record-snapshot.ts';
import { findUrl, toPlainLine } from '../text/plain-text.ts';

/** .nullable(), not .optional(): zodResponseFormat requires it (facts.md). */
export const factsAnswerSchema = z.object({ label: z.string().nullable(), country: z.string().nullable() });

export interface FactsValues {
  label?: string;
  country?: string;
}

export interface FactsStageResult {
  values: FactsValues;
  /** Provider name, 'skipped' (nothing to fill) or 'unanswered' (left empty: facts are never invented). */
  source: string;
  transient: boolean;
}

const unknownWords = /^(null|none|unknown|n\/?a|нет|неизвестно|не известно|не указан[оа]?|-+|\?+)$/i;

function cleanFact(value: string | null, max: number, pattern: RegExp): string | null {
  if (value === null) return null;
  const line = toPlainLine(value, 200);
  if (line === '' || unknownWords.test(line) || line.length > max || findUrl(line) || !pattern.test(line)) return null;
  return line;
}

export function checkFacts(answer: string): CheckResult<{ label: string | null; country: string | null }> {
  let parsed: unknown;
  try {
    parsed = parseJsonObject(answer);
  } catch {
    return { ok: false, reason: 'ответ не является корректным JSON-объектом' };
  }
  const result = factsAnswerSchema.safeParse(parsed);
  if (!result.success) return { ok: false, reason: 'нужен JSON-объект с полями label и country (строка или null)' };
  return {
    ok: true,
    value: {
      label: cleanFact(result.data.label, 80, /\p{L}/u),
      country: cleanFact(result.data.country, 56, /^[\p{L}][\p{L}\s.'’-]*$/u),
    },
  };
}

/** Stage 1: label and country, only those asked for (empty, or AI-filled with force). */
export async function runFactsStage(chain: ProviderChain, facts: RecordFacts, wanted: Array<'label' | 'country'>, signal?: AbortSignal): Promise<FactsStageResult> {
  if (wanted.length === 0) return { values: {}, source: 'skipped', transient: false };
  if (!chain.configured) return { values: {}, source: 'unanswered', transient: false };
  const { answer, transient } = await chain.run(
    'facts',
    (reason) => ({
      messages: factsPrompt(facts, wanted, reason),
      json: { name: 'record_facts', schema: factsAnswerSchema },
      maxTokens: 200,
      temperature: 0,
      signal,
    }),
    checkFacts,
  );
  if (!answer) return { values: {}, source: 'unanswered', transient };
  const values: FactsValues = {};
  for (const field of wanted) {
    const value = answer.value[field];
    if (value) values[field] = value;
  }
  return { values, source: answer.provider, transient: false };
}
