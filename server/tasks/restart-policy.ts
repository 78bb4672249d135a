/** How the supervisor restarts a failing task and when it calls it failed. */
export interface RestartPolicy {
  /** Wait before the first restart; each further failure in a row doubles it. */
  initialDelayMs: number;
  /** The doubling stops here: a task that is down is still tried this often. */
  maxDelayMs: number;
  /** After this many failures in a row the task counts as failed: the admin is told, /health answers 503. */
  failedAfterFailures: number;
  /** ... or after failing without a success for this long. */
  failedAfterMs: number;
  /** start() gives each task this long to succeed or fail once before starting the next one. */
  startWaitMs: number;
  /** stop() gives each task this long to finish the work in hand. */
  stopWaitMs: number;
}

/**
 * About two minutes of failures in a row (1+2+4+...+60 s) before the admin is bothered, so a
 * database restart or a network blip goes unnoticed, and a task that is down is retried every
 * minute so it recovers by itself once the cause is gone.
 */
export const defaultRestartPolicy: RestartPolicy = {
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
  failedAfterFailures: 8,
  failedAfterMs: 5 * 60_000,
  startWaitMs: 10_000,
  stopWaitMs: 30_000,
};

/**
 * Exponential backoff, capped, with "equal jitter" (half fixed, half random), so that tasks (or
 * instances) that failed together do not retry in lockstep while each still waits at least half
 * its step. https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function restartDelayMs(failuresInRow: number, policy: RestartPolicy, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, failuresInRow - 1));
  return Math.round(step / 2 + (step / 2) * random());
}
