import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * One full export of the site in a process of its own, as `npm run site:build` makes it: a fresh
 * heap and JIT, the database opened as the command opens it, every page rendered and written to
 * a new folder, timed from the read to the last file. bench:site runs several and reports the median:
 * single builds on these shared machines differ by a fifth from one run to the next. Run as a
 * script, this file is the child.
 */
export async function exportInOwnProcess(options: { /** DATA_DIR: its pglite folder holds the catalog. */ dataDir: string; outDir: string; siteUrl: string }): Promise<{ seconds: number; files: number }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, BENCH_EXPORT_DATA_DIR: options.dataDir, BENCH_EXPORT_OUT: options.outDir, BENCH_SITE_URL: options.siteUrl },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { seconds: number; files: number };
}

if (process.env.BENCH_EXPORT_DATA_DIR && process.argv[1] === fileURLToPath(import.meta.url)) {
  const { parseConfig } = await import('../../server/config.ts');
  const { openDatabase } = await import('../../server/db/open-database.ts');
  const { buildSiteAssets } = await import('../../server/site/site-assets.ts');
  const { createSiteCatalog } = await import('../../server/site/site-catalog.ts');
  const { createConfiguredExporter } = await import('../../server/site/site-module.ts');
  // Opened as site-build-cli.ts opens it: DATA_DIR's lock, its pglite folder, the migrations checked.
  const config = parseConfig({ DATA_DIR: process.env.BENCH_EXPORT_DATA_DIR, LOG_LEVEL: 'silent', PUBLIC_SITE_URL: process.env.BENCH_SITE_URL });
  const db = await openDatabase(config.database, () => undefined);
  const exporter = await createConfiguredExporter(config, process.env.BENCH_EXPORT_OUT!, await buildSiteAssets());
  const started = performance.now();
  const full = await exporter.full(await createSiteCatalog({ db }).current());
  const seconds = (performance.now() - started) / 1000;
  await db.close();
  console.log(JSON.stringify({ seconds, files: full.rendered }));
}
