import type { EnrichJobProgress } from '../../shared/sheet-actions-contract.ts';
import type { EnrichableField } from '../../shared/ai-contract.ts';
import type { Database } from '../db/database.ts';
import type { RecordSnapshot } from './record-snapshot.ts';

export interface ClaimedJob {
  job_id: number;
  record_id: string;
  force: boolean;
  attempts: number;
  /** null when the record was deleted after the job was queued. */
  record: RecordSnapshot | null;
}

export interface StoreResult {
  found: boolean;
  applied: EnrichableField[];
  lost?: boolean;
}

/**
 * The AI queue's SQL functions (migration 20261121003001_ai_jobs.sql) as plain async methods.
 * Claims and releases go through read(): they change only the queue, which no cached response
 * shows, and a write() would wake the worker that is calling them.
 */
export function createAiRepository(db: Database) {
  return {
    snapshot: (recordId: string) => db.read<RecordSnapshot | null>('ai_record_snapshot', { p_record_id: recordId }),

    /** Stores a direct enrichment's results (same rules as a job's: see ai_store_result). */
    storeResult: (recordId: string, fields: Record<string, string>, force: boolean) =>
      db.write<StoreResult>('ai_store_result', { p_record_id: recordId, p_fields: fields, p_force: force }),

    claim: (worker: string, limit: number, leaseSeconds: number, maxAttempts: number) =>
      db.read<ClaimedJob[]>('ai_jobs_claim', {
        p_worker: worker,
        p_limit: limit,
        p_lease_seconds: leaseSeconds,
        p_max_attempts: maxAttempts,
      }),

    finish: (jobId: number, worker: string, fields: Record<string, string>, result: unknown) =>
      db.write<StoreResult>('ai_job_finish', { p_job_id: jobId, p_worker: worker, p_fields: fields, p_result: result }),

    release: (jobId: number, worker: string, opts: { delayMs: number; error: string; giveUp?: boolean; countAttempt?: boolean }) =>
      db.read<boolean>('ai_job_release', {
        p_job_id: jobId,
        p_worker: worker,
        p_delay_ms: Math.round(opts.delayMs),
        p_error: opts.error,
        p_give_up: opts.giveUp ?? false,
        p_count_attempt: opts.countAttempt ?? true,
      }),

    createBatch: (recordIds: string[] | null, allWithoutDescription: boolean, force: boolean) =>
      db.write<{ job_id: string; total: number }>('ai_batch_create', {
        p_record_ids: recordIds,
        p_all_without_description: allWithoutDescription,
        p_force: force,
      }),

    batchProgress: (batchId: string) => db.read<EnrichJobProgress | null>('ai_batch_progress', { p_batch_id: batchId }),

    queueCounts: () => db.read<{ queued: number; running: number; done: number; failed: number }>('ai_queue_counts'),
  };
}
export type AiRepository = ReturnType<typeof createAiRepository>;
