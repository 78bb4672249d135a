import path from 'node:path';
import { Router } from 'express';
import type { Logger } from 'pino';
import type { SiteContext } from '../../site/site-context.ts';
import type { CatalogRepository } from '../catalog/catalog-repository.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { ResponseCache } from '../http/response-cache.ts';
import type { BackgroundTask } from '../tasks/background-task.ts';
import { requireSheetSignature } from '../sheet/sheet-auth.ts';
import type { TelegramModule } from '../telegram/telegram-module.ts';
import { createSiteAdminRoutes } from './site-admin-routes.ts';
import { buildSiteAssets, type SiteAssets } from './site-assets.ts';
import { createSiteBotFeature } from './site-bot-feature.ts';
import { createSiteBuilder } from './site-builder.ts';
import { createSiteCatalog } from './site-catalog.ts';
import { createSiteExporter } from './site-export.ts';
import { createSitePages } from './site-pages.tsx';
import { createSiteRoutes } from './site-routes.ts';

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= make();
    value.catch(() => (value = undefined));
    return value;
  };
}

/** The page context of the served site and of the export (whose scripts call the API at SITE_API_URL). */
export function siteContext(config: Config, assets: SiteAssets, forExport: boolean): SiteContext {
  return {
    siteUrl: config.publicSiteUrl,
    apiBase: forExport ? (config.site.apiUrl ?? '') : '',
    botUsername: config.telegram?.botUsername,
    assets: { css: assets.css, script: assets.script },
    shopName: config.site.name,
    static: forExport,
    photoBases: [photoBase(config)],
  };
}

/** Where the photo storage (server/media/create-photo-storage.ts) publishes what the admin bot stores. */
function photoBase(config: Config): string {
  if (config.database.kind === 'supabase') return `${config.database.url.replace(/\/+$/, '')}/storage/v1/object/public/${config.media.bucket}/`;
  return `${config.media.publicBaseUrl}/media/`;
}

/** An exporter to a folder (npm run site:build, the builder, the benchmark). */
export async function createConfiguredExporter(config: Config, outDir: string, assets?: SiteAssets) {
  const built = assets ?? (await buildSiteAssets());
  return createSiteExporter({ ctx: siteContext(config, built, true), assets: built, outDir: path.resolve(outDir) });
}

/**
 * The store website (issue 10): pages served from the catalog, cached with the API's responses;
 * with SITE_EXPORT_DIR, a static export kept up to date, rebuilt on the admin's request (admin
 * API, the bot's /site_rebuild). Nothing is built until the first page is asked for.
 */
export function createSiteModule(deps: { config: Config; db: Database; cache: ResponseCache; catalog: CatalogRepository; logger: Logger; telegram: TelegramModule | null }) {
  const { config, db, cache } = deps;
  const assets = once(buildSiteAssets);
  const routes = createSiteRoutes({
    site: createSiteCatalog({ db }),
    pages: once(async () => createSitePages(siteContext(config, await assets(), false))),
    assets,
    cache,
    catalog: deps.catalog,
  });
  const exportDir = config.site.exportDir;
  const builder = exportDir
    ? createSiteBuilder({
        site: createSiteCatalog({ db }),
        exporter: once(async () => createConfiguredExporter(config, exportDir, await assets())),
        cache,
        logger: deps.logger,
        deployHookUrl: config.site.deployHookUrl,
      })
    : null;
  if (builder && deps.telegram) deps.telegram.use(createSiteBotFeature({ builder }));

  const router = Router();
  router.use(createSiteAdminRoutes({ adminApiToken: config.adminApiToken, sheetAuth: requireSheetSignature({ secret: config.sheet.secret, db }), builder }));
  router.use(routes.router);
  const tasks: BackgroundTask[] = builder ? [builder.task] : [];
  return { router, notFound: routes.notFound, tasks, builder };
}
