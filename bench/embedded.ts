import { startCpuLoad } from './support/cpu-load.ts';
import { stressEmbeddedDatabase } from './support/embedded-stress.ts';
import { progress } from './support/http-load.ts';

/**
 * The embedded database under load: many fresh PGlite databases, each searched through its whole
 * vocabulary while two spinning processes keep both cores busy. STARTS overrides the count.
 */
const starts = Number(process.env.STARTS ?? 20);
const load = startCpuLoad(2);
const started = Date.now();
try {
  const result = await stressEmbeddedDatabase({ starts, onStart: (done) => progress(`${done}/${starts} databases`) });
  for (const error of result.errors) progress(`failure: ${error}`);
  console.log(
    JSON.stringify({ bench: 'embedded', starts: result.starts, queries: result.queries, failures: result.failures, seconds: Math.round((Date.now() - started) / 1000) }),
  );
  process.exitCode = result.failures === 0 ? 0 : 1;
} finally {
  load.stop();
}
