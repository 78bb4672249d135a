import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/block-network.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files share their worker process: the server's modules (echarts alone takes seconds to
    // load) and PGlite's compiled wasm are loaded once per worker instead of once per file. Each
    // file still makes its own databases, emulators and servers, and closes them.
    isolate: false,
  },
});
