import { checkSeo, seoAnswerSchema, type SeoFields } from '../checks/seo-check.ts';
import type { ProviderChain } from '../llm/provider-chain.ts';
import { parseJsonObject, seoPrompt } from '../prompts.ts';
import type { RecordFacts } from '../record-snapshot.ts';
import { buildSeo } from '../template/seo-builder.ts';
import type { TextStageResult } from './description-stage.ts';

/** Stage 3: SEO fields within their lengths; the deterministic builder when no answer fits. */
export async function runSeoStage(chain: ProviderChain, facts: RecordFacts, signal?: AbortSignal): Promise<TextStageResult<SeoFields>> {
  if (!chain.configured) return { value: buildSeo(facts), source: 'template', transient: false };
  const { answer, transient } = await chain.run(
    'seo',
    (reason) => ({
      messages: seoPrompt(facts, reason),
      json: { name: 'record_seo', schema: seoAnswerSchema },
      maxTokens: 600,
      temperature: 0.4,
      signal,
    }),
    (raw) => {
      let parsed: unknown;
      try {
        parsed = parseJsonObject(raw);
      } catch {
        return { ok: false, reason: 'ответ не является корректным JSON-объектом' };
      }
      const result = seoAnswerSchema.safeParse(parsed);
      if (!result.success) return { ok: false, reason: 'нужен JSON-объект с полями seo_title, seo_description, seo_keywords' };
      return checkSeo(result.data, facts);
    },
  );
  if (answer) return { value: answer.value, source: answer.provider, transient: false };
  return { value: buildSeo(facts), source: 'template', transient };
}
