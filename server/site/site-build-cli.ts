import { createCatalogRepository } from '../catalog/catalog-repository.ts';
import { seedDemoCatalog } from '../catalog/seed-demo-catalog.ts';
import { ConfigError, parseConfig } from '../config.ts';
import { DataDirLockedError } from '../db/data-dir-lock.ts';
import { openDatabase } from '../db/open-database.ts';
import { createSiteCatalog } from './site-catalog.ts';
import { createConfiguredExporter } from './site-module.ts';

/**
 * `npm run site:build [-- --out DIR]`: the whole site exported once to a folder for a static host
 * (docs/website.md). Files whose bytes did not change are left alone, so a host that uploads
 * changed files only (rsync, netlify deploy) sends little. A running server keeps its own export
 * (SITE_EXPORT_DIR) and rebuilds on request instead: this command cannot open its embedded database.
 */
async function main() {
  let config;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const outFlag = process.argv.indexOf('--out');
  const outDir = (outFlag >= 0 ? process.argv[outFlag + 1] : undefined) ?? config.site.exportDir ?? 'build/site';
  let db;
  try {
    db = await openDatabase(config.database, (message) => console.error(message));
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(
        `${error.message}\nThe server is running on this data: ask it to build instead (POST /api/admin/site/rebuild, or /site_rebuild in the bot), or let it keep the export itself with SITE_EXPORT_DIR.`,
      );
      process.exit(1);
    }
    throw error;
  }
  try {
    if (config.loadDemoCatalog) await seedDemoCatalog(createCatalogRepository(db));
    const site = createSiteCatalog({ db });
    const exporter = await createConfiguredExporter(config, outDir);
    const result = await exporter.full(await site.current());
    console.error(`site exported to ${exporter.outDir}: ${result.rendered} files, ${result.written} written, ${result.deleted} deleted in ${Math.round(result.ms)} ms`);
    if (!config.site.apiUrl) console.error('note: SITE_API_URL is not set, so the pages call the API on their own host (set it when the API lives elsewhere)');
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error('fatal:', error);
  process.exit(1);
});
