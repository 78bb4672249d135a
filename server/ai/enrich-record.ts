import type { EnrichableField, EnrichResponse } from '../../shared/ai-contract.ts';
import type { ProviderChain } from './llm/provider-chain.ts';
import { fieldsToFill, recordFacts, type RecordSnapshot } from './record-snapshot.ts';
import { runDescriptionStage } from './stages/description-stage.ts';
import { runFactsStage } from './stages/facts-stage.ts';
import { runSeoStage } from './stages/seo-stage.ts';

export interface EnrichOutcome {
  /** Values for the fields this run was to fill; storing decides what may be written. */
  fields: Partial<Record<EnrichableField, string>>;
  stages: EnrichResponse['stages'];
  llmProvider: string;
  fallbackUsed: boolean;
  /** A stage went without a model's answer because providers were unavailable: worth retrying later. */
  transient: boolean;
}

/**
 * The three stages for one record. Facts come first because the description may mention the
 * label and country; SEO needs neither (title, artist, year, genre, condition, price), so it runs
 * alongside: one record costs the time of its longest chain of provider calls, not their sum.
 */
export function createEnricher(chain: ProviderChain) {
  return async function enrich(record: RecordSnapshot, force: boolean, signal?: AbortSignal): Promise<EnrichOutcome> {
    const wanted = fieldsToFill(record, force);
    const wantedFacts = (['label', 'country'] as const).filter((f) => wanted.has(f));
    const wantsDescription = wanted.has('description');
    const wantsSeo = wanted.has('seo_title') || wanted.has('seo_description') || wanted.has('seo_keywords');

    const factsAndDescription = (async () => {
      const facts = await runFactsStage(chain, recordFacts(record), wantedFacts, signal);
      const description = wantsDescription ? await runDescriptionStage(chain, recordFacts(record, facts.values), record.id, signal) : null;
      return { facts, description };
    })();
    const seoRun = wantsSeo ? runSeoStage(chain, recordFacts(record), signal) : Promise.resolve(null);
    const [{ facts, description }, seo] = await Promise.all([factsAndDescription, seoRun]);

    const fields: EnrichOutcome['fields'] = { ...facts.values };
    if (description) fields.description = description.value;
    if (seo) {
      for (const key of ['seo_title', 'seo_description', 'seo_keywords'] as const) if (wanted.has(key)) fields[key] = seo.value[key];
    }
    const stages = {
      facts: facts.source,
      description: description?.source ?? 'skipped',
      seo: seo?.source ?? 'skipped',
    };
    const ran = Object.values(stages).filter((s) => s !== 'skipped');
    return {
      fields,
      stages,
      llmProvider: [stages.description, stages.seo, stages.facts].find((s) => s !== 'skipped' && s !== 'unanswered') ?? chain.primary ?? 'template',
      fallbackUsed: chain.primary !== null && ran.some((source) => source !== chain.primary),
      transient: facts.transient || (description?.transient ?? false) || (seo?.transient ?? false),
    };
  };
}
export type Enricher = ReturnType<typeof createEnricher>;
