import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCpuLoad } from '../../bench/support/cpu-load.ts';
import { stressEmbeddedDatabase } from '../../bench/support/embedded-stress.ts';

// With both cores busy, fresh embedded databases broke in about half of their starts before the
// fix (docs/pglite-extension-race.md); `npm run bench:embedded` is the longer run of this.
let load: { stop(): void };
beforeAll(() => {
  load = startCpuLoad(2);
});
afterAll(() => load.stop());

test('fresh embedded databases answer every search of their vocabulary with both cores busy', async () => {
  const result = await stressEmbeddedDatabase({ starts: 4, wordStep: 12 });
  expect(result.errors).toEqual([]);
  expect(result.failures).toBe(0);
  expect(result.starts).toBe(4);
  expect(result.queries).toBeGreaterThan(4 * 15);
}, 300_000);
