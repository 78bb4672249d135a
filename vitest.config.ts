import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/block-network.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time. Vitest's default is one worker per core but one, which is a single
    // worker on these 2-core machines. Most files wait on child processes, PostgreSQL, PostgREST
    // or chromium, so two side by side take the suite from about 13 to about 8 minutes. That makes
    // room in CI's 30 minutes for the second pass on Node 24.
    maxWorkers: 2,
    // Test files share their worker process: the server's modules (echarts alone takes seconds to
    // load) and PGlite's compiled wasm are loaded once per worker instead of once per file. Each
    // file still makes its own databases, emulators and servers, and closes them.
    isolate: false,
  },
});
