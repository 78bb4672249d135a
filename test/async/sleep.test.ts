import { describe, expect, it } from 'vitest';
import { sleep, untilAborted } from '../../server/async/sleep.ts';

describe('sleep', () => {
  it('an abort ends the wait early and is not an error', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const waiting = sleep(10_000, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(waiting).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(5000);
    await expect(sleep(10_000, controller.signal)).resolves.toBeUndefined(); // already aborted: at once
    await expect(untilAborted(controller.signal)).resolves.toBeUndefined();
  });

  it('without an abort it waits the whole time', async () => {
    const started = performance.now();
    await sleep(30, new AbortController().signal);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  });
});
