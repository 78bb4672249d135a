import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { untilAborted } from '../async/sleep.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';
import type { AiRepository, ClaimedJob } from './ai-repository.ts';
import type { Enricher } from './enrich-record.ts';

export interface AiQueueWorkerDeps {
  repo: AiRepository;
  enrich: Enricher;
  logger: Logger;
  /** Records enriched at once (AI_CONCURRENCY); 0 leaves jobs waiting for another instance. */
  concurrency: number;
  /** How long a claim holds before another worker may take the job over (a crash, a restart). */
  leaseSeconds: number;
  /** How long until providers may be asked again (the chain's cooldown), for backoff. */
  cooldownRemainingMs: () => number;
  pollMs?: number;
  maxAttempts?: number;
}

/**
 * The durable queue's worker: keeps up to `concurrency` jobs in hand, claiming the next one the
 * moment a slot frees (no poll delay under load), and polls when idle for jobs other instances
 * or SQL triggers queued. A job whose providers were unavailable (429, 5xx, timeouts) goes back
 * to the queue with backoff instead of settling for the template, until its last attempt.
 * A claim that fails ends the run (the supervisor restarts it with backoff) while the jobs in
 * hand carry on: they are the worker's, not the run's, and count against the next run's slots.
 */
export function createAiQueueWorker(deps: AiQueueWorkerDeps): BackgroundTask & { wake(): void } {
  const { repo, logger } = deps;
  const pollMs = deps.pollMs ?? 1000;
  const maxAttempts = deps.maxAttempts ?? 5;
  const workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const inFlight = new Set<Promise<void>>();
  let wakeRequested = false;
  let wakeUp: (() => void) | null = null;
  // The supervisor's signal for this task: aborted when the server stops.
  let abort: AbortSignal = new AbortController().signal;

  const wake = () => {
    wakeRequested = true;
    wakeUp?.();
  };
  const waitForWake = (ms: number) =>
    new Promise<void>((resolve) => {
      if (abort.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        abort.removeEventListener('abort', done);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
      abort.addEventListener('abort', done, { once: true });
    });

  async function handle(job: ClaimedJob) {
    const log = logger.child({ job: job.job_id, record: job.record_id });
    await new Promise((resolve) => setImmediate(resolve));
    try {
      if (!job.record) {
        await repo.finish(job.job_id, workerId, {}, { status: 'skipped', reason: 'record deleted' });
        return;
      }
      const started = Date.now();
      // A signal per job: the SDK leaves a listener on the signal of every call it makes.
      const jobAbort = new AbortController();
      setMaxListeners(64, jobAbort.signal);
      const stop = () => jobAbort.abort(new Error('worker stopped'));
      abort.addEventListener('abort', stop, { once: true });
      const outcome = await deps.enrich(job.record, job.force, jobAbort.signal).finally(() =>
        abort.removeEventListener('abort', stop),
      );
      if (outcome.transient && job.attempts < maxAttempts) {
        const delayMs = Math.max(deps.cooldownRemainingMs(), 1000 * 2 ** (job.attempts - 1));
        log.info({ delay_ms: delayMs, stages: outcome.stages }, 'providers unavailable: job postponed');
        await repo.release(job.job_id, workerId, { delayMs, error: 'providers unavailable' });
        return;
      }
      const stored = await repo.finish(job.job_id, workerId, outcome.fields as Record<string, string>, {
        llm_provider: outcome.llmProvider,
        fallback_used: outcome.fallbackUsed,
        stages: outcome.stages,
        processing_time_ms: Date.now() - started,
      });
      log.debug({ applied: stored.applied, provider: outcome.llmProvider }, 'record enriched');
    } catch (error) {
      if (abort.aborted) {
        // Shutting down: hand the job back untouched for the next start or another instance.
        await repo.release(job.job_id, workerId, { delayMs: 0, error: 'worker stopped', countAttempt: false }).catch(() => {});
        return;
      }
      const giveUp = job.attempts >= maxAttempts;
      log.error({ err: error, give_up: giveUp }, 'AI job failed');
      await repo
        .release(job.job_id, workerId, { delayMs: 1000 * 2 ** job.attempts, error: (error as Error).message ?? 'failed', giveUp })
        .catch((e: unknown) => log.error({ err: e }, 'could not release the job; its lease will expire'));
    }
  }

  async function loop(signal: AbortSignal, succeeded: () => void) {
    while (!signal.aborted) {
      // Embedded PGlite answers in microtasks: without a macrotask break, a long queue would
      // keep the event loop from ever reading an HTTP request.
      await new Promise((resolve) => setImmediate(resolve));
      const free = deps.concurrency - inFlight.size;
      if (free > 0) {
        wakeRequested = false;
        const claimed: unknown = await repo.claim(workerId, free, deps.leaseSeconds, maxAttempts);
        // ai_jobs_claim always answers a list; anything else is a broken database answer
        // (null was seen on PGlite under load), not "nothing to do".
        if (!Array.isArray(claimed)) throw new Error(`ai_jobs_claim answered ${JSON.stringify(claimed)} instead of a list`);
        succeeded();
        const jobs = claimed as ClaimedJob[];
        if (signal.aborted) {
          for (const job of jobs) await repo.release(job.job_id, workerId, { delayMs: 0, error: 'worker stopped', countAttempt: false }).catch(() => {});
          break;
        }
        for (const job of jobs) {
          const work = handle(job).finally(() => {
            inFlight.delete(work);
            wake();
          });
          inFlight.add(work);
        }
        if (jobs.length === free) continue;
      }
      // A wake that came while claiming: look again (the flag is cleared, so this cannot spin).
      if (wakeRequested) {
        wakeRequested = false;
        continue;
      }
      await waitForWake(pollMs);
    }
  }

  return {
    name: 'ai-queue-worker',
    wake,
    async run({ signal, succeeded }) {
      abort = signal;
      if (deps.concurrency <= 0) {
        succeeded();
        return untilAborted(signal);
      }
      await loop(signal, succeeded);
      // Stopping: the jobs in hand were told to stop (their signals) and go back to the queue.
      await Promise.allSettled([...inFlight]);
    },
  };
}
