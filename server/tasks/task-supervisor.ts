import type { Logger } from 'pino';
import { sleep } from '../async/sleep.ts';
import type { BackgroundTask } from './background-task.ts';
import { defaultRestartPolicy, restartDelayMs, type RestartPolicy } from './restart-policy.ts';

/**
 * running: doing its work. restarting: failed, waiting for its backoff to run again.
 * failed: failing beyond the restart policy (still retried at the longest backoff, so it comes
 * back by itself). stopped: not started yet, or stopped with the server.
 */
export type TaskState = 'running' | 'restarting' | 'failed' | 'stopped';

export interface TaskStatus {
  name: string;
  state: TaskState;
  /** Epoch ms of the last unit of work that went through. */
  lastSuccessAt: number | null;
  /** One line, secrets removed. */
  lastError: string | null;
  lastErrorAt: number | null;
  /** Failures since the last success (the current episode). */
  failuresInRow: number;
  failingSince: number | null;
  restarts: number;
}

/** Who hears that a task keeps failing, and that it recovered: once per episode each. */
export interface TaskAlerts {
  failing(status: TaskStatus): Promise<void>;
  recovered(status: TaskStatus, episode: { failures: number; since: number }): Promise<void>;
}

export interface TaskSupervisorDeps {
  tasks: BackgroundTask[];
  logger: Logger;
  policy?: Partial<RestartPolicy>;
  alerts?: TaskAlerts;
  /** Turns an error into the one line /health and the admin see (safe-error-message.ts). */
  describeError?: (error: unknown) => string;
  now?: () => number;
  random?: () => number;
}

interface Supervised {
  task: BackgroundTask;
  status: TaskStatus;
  controller: AbortController;
  loop: Promise<void> | null;
  attempt: number;
  alerted: boolean;
  onFirstOutcome: (() => void) | null;
}

/**
 * Owns the background tasks' lifecycles: runs each task, restarts it with capped exponential
 * backoff when it throws or returns on its own, keeps its state for /health, tells the admin
 * when one keeps failing and when it is back, and stops them all waiting for the work in hand.
 */
export function createTaskSupervisor(deps: TaskSupervisorDeps) {
  const policy: RestartPolicy = { ...defaultRestartPolicy, ...deps.policy };
  const now = deps.now ?? Date.now;
  const describe = deps.describeError ?? ((error: unknown) => (error instanceof Error ? error.message : String(error)));
  const logger = deps.logger.child({ component: 'tasks' });
  const seen = new Set<string>();
  for (const task of deps.tasks) {
    if (seen.has(task.name)) throw new Error(`two background tasks are named ${task.name}: names must be unique`);
    seen.add(task.name);
  }
  const entries: Supervised[] = deps.tasks.map((task) => ({
    task,
    status: { name: task.name, state: 'stopped', lastSuccessAt: null, lastError: null, lastErrorAt: null, failuresInRow: 0, failingSince: null, restarts: 0 },
    controller: new AbortController(),
    loop: null,
    attempt: 0,
    alerted: false,
    onFirstOutcome: null,
  }));
  let started = false;
  let stopping = false;

  // Best effort: the alert must never hold up or break the restart loop.
  const notify = (what: string, send: (alerts: TaskAlerts) => Promise<void>) => {
    if (!deps.alerts) return;
    send(deps.alerts).catch((error: unknown) => logger.warn({ error: describe(error) }, `could not send the ${what} alert`));
  };

  function succeeded(entry: Supervised, attempt: number) {
    // A late callback of an attempt that already failed says nothing about the current one.
    if (attempt !== entry.attempt || entry.controller.signal.aborted) return;
    const status = entry.status;
    status.lastSuccessAt = now();
    if (status.failuresInRow > 0) {
      const episode = { failures: status.failuresInRow, since: status.failingSince ?? status.lastSuccessAt };
      logger.info({ task: status.name, failures: episode.failures, down_ms: status.lastSuccessAt - episode.since }, 'background task recovered');
      status.failuresInRow = 0;
      status.failingSince = null;
      if (entry.alerted) {
        entry.alerted = false;
        const snapshot = { ...status, state: 'running' as const };
        notify('recovery', (alerts) => alerts.recovered(snapshot, episode));
      }
    }
    status.state = 'running';
    entry.onFirstOutcome?.();
  }

  function failed(entry: Supervised, error: unknown): number {
    const status = entry.status;
    const at = now();
    status.failuresInRow += 1;
    status.failingSince ??= at;
    status.lastError = describe(error);
    status.lastErrorAt = at;
    const beyondPolicy = status.failuresInRow >= policy.failedAfterFailures || at - status.failingSince >= policy.failedAfterMs;
    status.state = beyondPolicy ? 'failed' : 'restarting';
    const delayMs = restartDelayMs(status.failuresInRow, policy, deps.random);
    // The message only: it is already cleaned of secrets; the frames help find the cause.
    const frames = error instanceof Error ? error.stack?.split('\n').slice(1, 6).join('\n') : undefined;
    logger[beyondPolicy ? 'error' : 'warn'](
      { task: status.name, error: status.lastError, frames, failures: status.failuresInRow, retry_in_ms: delayMs },
      'background task failed; restarting after a backoff',
    );
    if (beyondPolicy && !entry.alerted) {
      entry.alerted = true;
      const snapshot = { ...status };
      notify('failure', (alerts) => alerts.failing(snapshot));
    }
    entry.onFirstOutcome?.();
    return delayMs;
  }

  async function supervise(entry: Supervised): Promise<void> {
    const { signal } = entry.controller;
    while (!signal.aborted) {
      const attempt = ++entry.attempt;
      if (entry.status.state !== 'failed') entry.status.state = 'running';
      let delayMs: number;
      try {
        // Through a microtask, so a run() that throws before its first await is caught too.
        await Promise.resolve().then(() => entry.task.run({ signal, succeeded: () => succeeded(entry, attempt) }));
        if (signal.aborted) break;
        delayMs = failed(entry, new Error('the task stopped on its own while the server runs'));
      } catch (error) {
        if (signal.aborted) {
          logger.warn({ task: entry.task.name, error: describe(error) }, 'background task failed while stopping');
          break;
        }
        delayMs = failed(entry, error);
      }
      await sleep(delayMs, signal);
      if (!signal.aborted) entry.status.restarts += 1;
    }
    entry.status.state = 'stopped';
  }

  /** Resolves after `ms` or when `until` settles, leaving no timer behind. */
  async function waitAtMost(ms: number, until: Promise<unknown>) {
    const timer = new AbortController();
    await Promise.race([until, sleep(ms, timer.signal)]);
    timer.abort();
  }

  return {
    /**
     * Starts the tasks in order. Each gets up to startWaitMs to succeed or fail once before the
     * next starts, so a set-up task (the offer settings) is in place before the queues that
     * depend on it; a failing one is left retrying in the background.
     */
    async start(): Promise<void> {
      if (started) return;
      started = true;
      for (const entry of entries) {
        if (stopping) return;
        const firstOutcome = new Promise<void>((resolve) => {
          entry.onFirstOutcome = resolve;
        });
        entry.loop = supervise(entry);
        await waitAtMost(policy.startWaitMs, Promise.race([firstOutcome, entry.loop]));
        entry.onFirstOutcome = null;
      }
    },

    /** Stops the tasks in reverse order, each finishing its work in hand; safe to call twice. */
    async stop(): Promise<void> {
      stopping = true;
      for (const entry of [...entries].reverse()) {
        entry.controller.abort();
        if (!entry.loop) continue;
        let finished = false;
        await waitAtMost(policy.stopWaitMs, entry.loop.then(() => (finished = true)));
        if (!finished) logger.error({ task: entry.task.name, waited_ms: policy.stopWaitMs }, 'background task did not stop in time');
      }
    },

    /** Every task's state, in start order (a copy: cheap enough for each /health request). */
    snapshot(): TaskStatus[] {
      return entries.map((entry) => ({ ...entry.status }));
    },
  };
}
export type TaskSupervisor = ReturnType<typeof createTaskSupervisor>;
