import type { EnrichResponse } from '../../shared/ai-contract.ts';
import type { EnrichJobProgress, EnrichRequest } from '../../shared/sheet-actions-contract.ts';
import type { AiRepository } from './ai-repository.ts';
import type { Enricher } from './enrich-record.ts';

/** What the AI endpoints do: enrich one record now, queue a batch, report a batch's progress. */
export function createAiService(deps: { repo: AiRepository; enrich: Enricher; wakeWorker: () => void }) {
  const { repo } = deps;
  return {
    /** Runs the three stages for one record and stores the results; null when there is no such record. */
    async enrichNow(recordId: string, force: boolean): Promise<EnrichResponse | null> {
      const started = Date.now();
      const record = await repo.snapshot(recordId);
      if (!record) return null;
      const outcome = await deps.enrich(record, force);
      const stored = Object.keys(outcome.fields).length > 0 ? await repo.storeResult(recordId, outcome.fields as Record<string, string>, force) : null;
      if (stored && !stored.found) return null;
      const applied = stored?.applied ?? [];
      return {
        status: applied.length > 0 ? 'completed' : 'skipped',
        enriched_fields: applied,
        llm_provider: outcome.llmProvider,
        fallback_used: outcome.fallbackUsed,
        processing_time_ms: Date.now() - started,
        stages: outcome.stages,
      };
    },

    async startBatch(request: EnrichRequest): Promise<{ job_id: string; total: number }> {
      const batch = await repo.createBatch(request.record_ids ?? null, request.all_without_description ?? false, request.force);
      deps.wakeWorker();
      return batch;
    },

    batchProgress: (jobId: string): Promise<EnrichJobProgress | null> => repo.batchProgress(jobId),
  };
}
export type AiService = ReturnType<typeof createAiService>;
