/**
 * A long-running part of the server (a queue worker, a scheduler, the bot's polling), run and
 * restarted by the task supervisor (task-supervisor.ts).
 */
export interface BackgroundTask {
  /** Unique among the server's tasks; /health and the admin's alerts use it. */
  readonly name: string;
  /**
   * Does the task's work until `context.signal` aborts, then finishes the work in hand and
   * returns. Throwing, or returning before the abort, is a failure: the supervisor runs it again
   * after a backoff. State kept in the task's closure survives such a restart.
   */
  run(context: TaskContext): Promise<void>;
}

export interface TaskContext {
  /** Aborted when the server stops: take no new work, finish what is in hand, return. */
  readonly signal: AbortSignal;
  /**
   * A unit of work went through (a loop iteration, a poll, a set-up step): /health's "last
   * success", and the end of a failure episode (the admin hears that it recovered).
   */
  succeeded(): void;
}
