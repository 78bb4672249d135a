/**
 * Spaces sends evenly at `perSecond` (Telegram's bulk limit is about 30 messages/s). Slots are
 * computed from a fixed start, so timer jitter does not accumulate, and a late caller does not
 * get a burst of missed slots. pause() holds every slot (a 429's retry_after).
 */
export function createPacer(perSecond: number, sleep: (ms: number, signal?: AbortSignal) => Promise<void>) {
  const interval = 1000 / perSecond;
  let next = 0;
  let pausedUntil = 0;
  return {
    async take(signal?: AbortSignal): Promise<void> {
      for (;;) {
        const now = performance.now();
        // More than a slot late: start a fresh schedule instead of catching up in a burst.
        if (next < now - interval) next = now;
        const at = Math.max(next, pausedUntil);
        if (at <= now) {
          next = Math.max(next, pausedUntil) + interval;
          return;
        }
        await sleep(at - now, signal);
        if (signal?.aborted) return;
      }
    },
    pause(ms: number) {
      pausedUntil = Math.max(pausedUntil, performance.now() + ms);
    },
  };
}
