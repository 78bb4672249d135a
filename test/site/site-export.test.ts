import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { seedDemoCatalog } from '../../server/catalog/seed-demo-catalog.ts';
import { createSiteCatalog } from '../../server/site/site-catalog.ts';
import { createConfiguredExporter } from '../../server/site/site-module.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp, testConfig } from '../support/test-app.ts';
import { canonical, jsonLd, merchantListingProblems } from './support/html.ts';

const adminToken = 'site-admin-token-0123456789abcdef';
const exists = (file: string) => stat(file).then(() => true, () => false);

async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('static export', () => {
  let database: TestDatabase;
  let outDir: string;
  beforeAll(async () => {
    database = await pgliteDatabase();
    await seedDemoCatalog(createCatalogRepository(database.db));
  });
  afterAll(async () => database?.close());
  afterEach(async () => {
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  const exporterFor = async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'site-export-'));
    const config = testConfig({ PUBLIC_SITE_URL: 'https://records.example', SITE_API_URL: 'https://api.records.example' });
    return createConfiguredExporter(config, outDir);
  };
  const number = async (title: string) => (await database.sql<{ number: number; slug: string }>('select number, slug from records where title = $1', [title]))[0]!;

  it('writes every page, the covers, sitemap, robots, the search index and 404 for a static host', async () => {
    const exporter = await exporterFor();
    const site = createSiteCatalog({ db: database.db });
    const result = await exporter.full(await site.current());
    const abbey = await number('Abbey Road');
    const page = await readFile(path.join(outDir, `records/${abbey.number}/${abbey.slug}/index.html`), 'utf8');
    expect(canonical(page)).toBe(`https://records.example/records/${abbey.number}/${abbey.slug}/`);
    expect(merchantListingProblems(jsonLd(page).find((d) => d['@type'] === 'Product')!)).toEqual([]);
    // The pages' scripts call the API where it lives, and filter lists in the browser.
    expect(page).toContain('<body data-api="https://api.records.example" data-static="1" ');
    // /records/<n>/ without a slug leads to the page.
    expect(await readFile(path.join(outDir, `records/${abbey.number}/index.html`), 'utf8')).toContain(`url=/records/${abbey.number}/${abbey.slug}/`);
    for (const file of ['index.html', 'catalog/index.html', 'catalog/page/2/index.html', 'genres/rok/index.html', 'search/index.html', '404.html', 'robots.txt', 'sitemap.xml', 'search-index.json', 'favicon.svg', `covers/${abbey.number}.svg`]) {
      expect(await exists(path.join(outDir, file)), file).toBe(true);
    }
    const index = JSON.parse(await readFile(path.join(outDir, 'search-index.json'), 'utf8'));
    // Every record on the site (not deleted) is in the index, however big the demo catalog grows.
    const [{ n: listed }] = await database.sql<{ n: number }>("select count(*)::int as n from records where deleted_at is null and status <> 'deleted'") as [{ n: number }];
    expect(listed).toBeGreaterThan(0);
    expect(index.rows).toHaveLength(listed);
    expect(index.rows.find((r: unknown[]) => r[0] === abbey.number)).toEqual([abbey.number, abbey.slug, 'The Beatles', 'Abbey Road', 1969, 'Rock', 'available', 7500, 0, null]);
    expect(result).toMatchObject({ kind: 'full', written: result.rendered, deleted: 0 });
    // Nothing changed: a second full build rewrites nothing.
    expect((await exporter.full(await site.current())).written).toBe(0);
  });

  it('a build that cannot write fails as a whole, and the next one writes every file again', async () => {
    const exporter = await exporterFor();
    const site = createSiteCatalog({ db: database.db });
    // A file where the covers' folder belongs: the render threads cannot write the covers.
    await writeFile(path.join(outDir, 'covers'), 'in the way');
    await expect(exporter.full(await site.current())).rejects.toThrow(/site export: .*covers/);
    await rm(path.join(outDir, 'covers'));
    // The failed build's hashes were forgotten: nothing it claimed to write is taken as written.
    const result = await exporter.full(await site.current());
    expect(result.written).toBe(result.rendered);
    const abbey = await number('Abbey Road');
    expect(await exists(path.join(outDir, `covers/${abbey.number}.svg`))).toBe(true);
  });

  it('after one price change re-renders only the pages that show the record, and removes a deleted record\'s page', async () => {
    const exporter = await exporterFor();
    const site = createSiteCatalog({ db: database.db });
    await exporter.full(await site.current());
    const unknown = await number('Unknown Pleasures');
    await database.sql('update records set price = 8300 where number = $1', [unknown.number]);
    const change = await site.refresh();
    expect(change.changes.map((c) => c.after?.number)).toEqual([unknown.number]);
    // The edit moved nothing: the record is put in its place, and the copy equals one read afresh.
    expect(await site.current()).toEqual(await createSiteCatalog({ db: database.db }).current());
    const result = await exporter.incremental(await site.current(), change);
    const recordFile = path.join(outDir, `records/${unknown.number}/${unknown.slug}/index.html`);
    expect(await readFile(recordFile, 'utf8')).toContain('8 300 ₽');
    // The record page, its cover and bare-number redirect, a catalog page and its genre page, home, sitemap, index.
    expect(result.rendered).toBeLessThanOrEqual(10);
    expect(result.written).toBeLessThanOrEqual(5);
    expect(JSON.parse(await readFile(path.join(outDir, 'search-index.json'), 'utf8')).rows.find((r: unknown[]) => r[0] === unknown.number)[7]).toBe(8300);

    // The page's folder went (by hand) since the build that made it: the writer, which remembers
    // the folders it made, makes it again.
    await rm(path.dirname(recordFile), { recursive: true });
    await database.sql('update records set price = 8400 where number = $1', [unknown.number]);
    await exporter.incremental(await site.current(), await site.refresh());
    expect(await readFile(recordFile, 'utf8')).toContain('8 400 ₽');

    await createCatalogRepository(database.db).softDelete((await database.sql<{ id: string }>('select id from records where number = $1', [unknown.number]))[0]!.id);
    const removal = await site.refresh();
    const deletion = await exporter.incremental(await site.current(), removal);
    expect(deletion.deleted).toBeGreaterThanOrEqual(2);
    expect(await exists(recordFile)).toBe(false);
    expect(await readFile(path.join(outDir, 'sitemap.xml'), 'utf8')).not.toContain(`/records/${unknown.number}/`);
    // The incremental builds left the folder exactly as a full build makes it, and their manifest
    // log tells a new process (npm run site:build) so.
    const fresh = await createConfiguredExporter(testConfig({ PUBLIC_SITE_URL: 'https://records.example', SITE_API_URL: 'https://api.records.example' }), outDir);
    expect((await fresh.full(await site.current())).written).toBe(0);
  });
});

describe('the server keeps the export in step (SITE_EXPORT_DIR)', () => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let emu: TelegramEmulator;
  let hook: Server;
  let hookCalls = 0;
  let outDir: string;

  beforeAll(async () => {
    outDir = await mkdtemp(path.join(tmpdir(), 'site-builder-'));
    hook = createHttpServer((req, res) => {
      if (req.method === 'POST') hookCalls++;
      res.writeHead(200).end('{}');
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => hook.once('listening', resolve));
    emu = await startTelegramEmulator({ limits: false });
    database = await pgliteDatabase();
    await seedDemoCatalog(createCatalogRepository(database.db));
    app = await startTestApp(database.db, {
      SITE_EXPORT_DIR: outDir,
      SITE_DEPLOY_HOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/build_hooks/secret`,
      ADMIN_API_TOKEN: adminToken,
      TELEGRAM_BOT_TOKEN: emu.token,
      ADMIN_TELEGRAM_ID: '900',
      TELEGRAM_API_ROOT: emu.apiRoot,
      AI_CONCURRENCY: '0',
    });
  });
  afterAll(async () => {
    await app?.close();
    await emu?.close();
    await database?.close();
    hook?.close();
    await rm(outDir, { recursive: true, force: true });
  });

  it('builds on start, rebuilds after a catalog change (debounced) and calls the deploy hook', async () => {
    const home = path.join(outDir, 'index.html');
    await until(() => exists(home));
    const before = hookCalls;
    expect(before).toBeGreaterThanOrEqual(1);
    const [abbey] = await database.sql<{ id: string; number: number; slug: string }>(`select id, number, slug from records where title = 'Abbey Road'`);
    // Through the server's own database handle, as a sheet push or an admin change would be.
    await app.vinyl.demandFeature.admin.setStatus(abbey!.id, { status: 'sold', trigger_notifications: false });
    const file = path.join(outDir, `records/${abbey!.number}/${abbey!.slug}/index.html`);
    await until(async () => (await readFile(file, 'utf8')).includes('https://schema.org/SoldOut'));
    await until(async () => hookCalls > before);
  });

  it('rebuilds on the admin\'s request: the admin API (token required) and /site_rebuild in the bot', async () => {
    const unauthorised = await fetch(`${app.url}/api/admin/site/rebuild`, { method: 'POST' });
    expect(unauthorised.status).toBe(401);
    const bad = await fetch(`${app.url}/api/admin/site/rebuild`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ full: 'yes' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).details[0].field).toBe('full');
    const response = await fetch(`${app.url}/api/admin/site/rebuild`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ full: true }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ kind: 'full', written: 0, deleted: 0, deployed: null });

    await emu.user(777).sendText('/site_rebuild');
    await emu.waitForSent((m) => m.chat_id === 777, 5000);
    expect(emu.sent({ chatId: 777 }).at(-1)!.text).toBe('Эта команда доступна только администратору магазина.');
    await emu.user(900).sendText('/site_rebuild');
    await emu.waitForSent((m) => m.chat_id === 900 && /Сайт собран/.test(m.text ?? ''), 10_000);
  });
});
