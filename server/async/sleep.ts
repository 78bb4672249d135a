/**
 * The one timer helper for loops that must stop promptly. The contract: an abort is not an
 * error. `sleep` resolves after `ms` or as soon as `signal` aborts, whichever comes first, and
 * never rejects; a caller that must not go on after an abort checks `signal.aborted` (or calls
 * `signal.throwIfAborted()` to turn it into the signal's reason).
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Resolves when `signal` aborts (at once if it already has): a task with nothing left to do. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
