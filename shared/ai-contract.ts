import { z } from 'zod';
import { recordKeySchema } from './catalog-contract.ts';
import type { RecordField } from './record-fields.ts';

/**
 * Response shapes of the AI musicologist's endpoints. The sheet's batch endpoints live in
 * sheet-actions-contract.ts (POST /api/sheet/enrich, GET /api/sheet/enrich/<job_id>).
 */

/** The fields the enrichment may fill, as column keys of the catalog (sheet-layout.ts). */
export const enrichableFields = ['label', 'country', 'description', 'seo_title', 'seo_description', 'seo_keywords'] as const satisfies readonly RecordField[];
export type EnrichableField = (typeof enrichableFields)[number];

/** Label and country come from the facts stage: never invented, never replacing the admin's. */
export const factFields = ['label', 'country'] as const satisfies readonly EnrichableField[];
export const seoFields = ['seo_title', 'seo_description', 'seo_keywords'] as const satisfies readonly EnrichableField[];

/**
 * Who produced a stage's output: a provider name (LLM_PROVIDER / LLM_FALLBACK_PROVIDER), 'template'
 * (the built-in generator or the deterministic SEO builder), 'skipped' (nothing to fill) or
 * 'unanswered' (facts nobody could give: the fields stay empty rather than invented).
 */
export type StageSource = string;

export interface EnrichResponse {
  /** completed: something was written; skipped: nothing needed filling (use ?force=true). */
  status: 'completed' | 'skipped';
  enriched_fields: EnrichableField[];
  /** The provider behind the description (else SEO, else facts); 'template' without an LLM. */
  llm_provider: string;
  /** True when a stage's output did not come from the primary provider (fallback or template). */
  fallback_used: boolean;
  processing_time_ms: number;
  stages: { facts: StageSource; description: StageSource; seo: StageSource };
}

/** The record's uuid or its number. */
export const enrichParamsSchema = z.object({ record_id: recordKeySchema });
export const enrichQuerySchema = z.object({
  force: z
    .enum(['true', 'false', '1', '0'], 'expected true or false')
    .optional()
    .transform((v) => v === 'true' || v === '1'),
});

/** Ready-made note the sheet shows on every cell the AI filled. */
export const aiFilledNote = 'Заполнено ИИ — проверьте';
