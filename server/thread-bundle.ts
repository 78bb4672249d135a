import type { BuildOptions } from 'esbuild';

/**
 * esbuild options that make one TypeScript module, with everything it imports, a single script
 * a worker thread can run with `eval: true`: the thread then needs no TypeScript loader, under
 * tsx, vitest or plain node alike.
 */
export const threadBundle = (entry: string) =>
  ({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' }) satisfies BuildOptions;
