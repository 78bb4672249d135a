import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { seedDemoCatalog } from '../../server/catalog/seed-demo-catalog.ts';
import { createSiteCatalog } from '../../server/site/site-catalog.ts';
import { createConfiguredExporter } from '../../server/site/site-module.ts';
import { Sheets } from '../../shared/sheet-layout.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../emulators/telegram/index.ts';
import { catalogRow, col, startSheetWorld } from '../sheet/support/sheet-world.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { startTestApp, testConfig } from '../support/test-app.ts';
import { launchBrowser } from './support/browser.ts';
import { startStaticFileServer } from './support/static-file-server.ts';

const ADMIN = 900;
const adminToken = 'browser-admin-token-0123456789abcdef';

/** «7 пластинок», «4 пластинки», «21 пластинка»: the Russian plural, written out so the test checks the site's. */
function recordsText(count: number): string {
  const mod10 = count % 10;
  const mod100 = count % 100;
  const word = mod10 === 1 && mod100 !== 11 ? 'пластинка' : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? 'пластинки' : 'пластинок';
  return `${count} ${word}`;
}

/** What a customer does: types «пинк флойд» into the search page and opens the record. */
async function searchAndOpen(page: Page, siteUrl: string) {
  await page.goto(`${siteUrl}/search/`);
  await page.getByLabel('Исполнитель или альбом').fill('пинк флойд');
  const result = page.locator('[data-search-results] a', { hasText: 'The Dark Side of the Moon' });
  await result.waitFor({ timeout: 10_000 });
  await expect(page.locator('[data-search-status]').textContent()).resolves.toMatch(/Нашлось/);
  await result.click();
  await page.waitForURL(/\/records\/\d+\/pink-floyd-the-dark-side-of-the-moon-1973\/$/);
  await expect(page.locator('h1').textContent()).resolves.toBe('Pink Floyd — The Dark Side of the Moon (1973)');
}

/**
 * A record the shop does not have: nothing found, the request form filled in and sent. A visitor
 * without a Telegram login makes no record: the API answers 202 `pending` and keeps the title for
 * the admin (demand_pending, docs/demand-and-offers.md); the form shows the server's message.
 */
async function requestMissing(page: Page, siteUrl: string, artist: string, title: string) {
  await page.goto(`${siteUrl}/search/?q=${encodeURIComponent(artist)}`);
  await page.locator('[data-search-status]', { hasText: 'Ничего не нашлось' }).waitFor({ timeout: 10_000 });
  const form = page.locator('[data-search-empty] form');
  await expect(form.getByLabel('Исполнитель').inputValue()).resolves.toBe(artist);
  await form.getByLabel('Альбом').fill(title);
  await form.getByLabel('Telegram или e-mail для связи').fill('@vinyl_fan');
  await form.getByRole('button', { name: 'Запросить пластинку' }).click();
  const answer = form.locator('[data-request-answer]');
  await answer.filter({ hasText: 'Запрос сохранён' }).waitFor({ timeout: 10_000 });
  const text = await answer.textContent();
  // The server's pending message, and no count: there is no record to count on yet.
  expect(text).toMatch(/^Запрос сохранён\. /);
  expect(text).not.toContain('Эту пластинку ждут');
  return text;
}

/** The visitor's title waits in demand_pending with the contact they gave, and makes no record. */
async function expectPending(database: TestDatabase, artist: string, title: string) {
  expect(await database.sql(`select 1 from records where title = $1`, [title])).toEqual([]);
  const rows = await database.sql<{ artist: string; contact: string | null; record_id: string | null }>(
    `select artist, contact, record_id from demand_pending where title = $1`, [title]);
  expect(rows).toEqual([{ artist, contact: '@vinyl_fan', record_id: null }]);
}

describe('the store website in a real browser', () => {
  let browser: Browser;
  let database: TestDatabase;
  let emu: TelegramEmulator;
  let app: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    browser = await launchBrowser();
    emu = await startTelegramEmulator({ limits: false });
    database = await pgliteDatabase();
    await seedDemoCatalog(createCatalogRepository(database.db));
    app = await startTestApp(database.db, { TELEGRAM_BOT_TOKEN: emu.token, ADMIN_TELEGRAM_ID: String(ADMIN), TELEGRAM_API_ROOT: emu.apiRoot, AI_CONCURRENCY: '0', ADMIN_API_TOKEN: adminToken });
    // A bot may only write to someone who has started it: the admin has.
    await emu.user(ADMIN).sendText('/start');
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await emu?.close();
    await database?.close();
  });

  it('search «пинк флойд» and open the record', async () => {
    const page = await browser.newPage();
    await searchAndOpen(page, app.url);
    await page.close();
  });

  it('a missing record requested from the search page reaches the database, the admin\'s notifications and digest', async () => {
    const page = await browser.newPage();
    await requestMissing(page, app.url, 'Cocteau Twins', 'Heaven or Las Vegas');
    await expectPending(database, 'Cocteau Twins', 'Heaven or Las Vegas');
    const notes = await fetch(`${app.url}/api/admin/notifications`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(notes.status).toBe(200);
    expect((await notes.json()).unverified_titles).toEqual([
      expect.objectContaining({ title: 'Heaven or Las Vegas', artist: 'Cocteau Twins', count: 1, contacts: ['@vinyl_fan'] }),
    ]);
    // The scheduler sends the admin's digest every 15 s at most (offers-scheduler.ts); unverified
    // titles are in it (supabase/migrations/20261202004100_digest_pending_titles.sql).
    const digest = await emu.waitForSent((m) => m.chat_id === ADMIN && /Heaven or Las Vegas/.test(m.text ?? ''), 40_000);
    expect(digest.text).toContain('Без подтверждения: 1 запрос новых названий');
    expect(digest.text).toContain('Cocteau Twins — Heaven or Las Vegas');
    await page.close();
  }, 70_000);

  it('?promo=CODE on a record page shows the personal price and its expiry', async () => {
    const [wall] = await database.sql<{ id: string; number: number; slug: string }>(`select id, number, slug from records where title = 'The Wall'`);
    await database.sql(`update records set condition = 'VG+', price = 6000 where id = $1`, [wall!.id]);
    await database.sql(`select demand_register($1, 'tg:501', true, 501, null, 'telegram')`, [wall!.id]);
    await app.vinyl.demandFeature.admin.setStatus(wall!.id, { status: 'available', trigger_notifications: true });
    const [offer] = await database.sql<{ code: string; expires_at: Date }>(`select code, expires_at from offers where record_id = $1`, [wall!.id]);
    const page = await browser.newPage();
    await page.goto(`${app.url}/records/${wall!.number}/${wall!.slug}/?promo=${offer!.code}`);
    const promo = page.locator('[data-promo]');
    await promo.filter({ hasText: '4 500 ₽' }).waitFor({ timeout: 10_000 });
    const expiry = offer!.expires_at.toLocaleDateString('ru-RU', { timeZone: 'Europe/Moscow', day: '2-digit', month: '2-digit', year: 'numeric' });
    await expect(promo.textContent()).resolves.toContain(`скидкой 25% — до ${expiry}`);
    await page.goto(`${app.url}/records/${wall!.number}/${wall!.slug}/?promo=PRE-1-AAAAAAAAAA`);
    await promo.filter({ hasText: 'не найден' }).waitFor({ timeout: 10_000 });
    await page.close();
  });

  it('the static export, opened through a plain static file server, searches offline and sends requests to the API', async () => {
    const outDir = await mkdtemp(path.join(tmpdir(), 'site-static-'));
    const exporter = await createConfiguredExporter(testConfig({ SITE_API_URL: app.url }), outDir);
    await exporter.full(await createSiteCatalog({ db: database.db }).current());
    const host = await startStaticFileServer(outDir);
    const page = await browser.newPage();
    try {
      await searchAndOpen(page, host.url);
      await requestMissing(page, host.url, 'This Mortal Coil', 'It\'ll End in Tears');
      await expectPending(database, 'This Mortal Coil', 'It\'ll End in Tears');

      // Filters on a static host run in the browser over the index.
      const [{ n: sold }] = await database.sql<{ n: number }>(`select count(*)::int as n from records where status = 'sold' and deleted_at is null`) as [{ n: number }];
      await page.goto(`${host.url}/catalog/?status=sold`);
      // A whole number: «7 пластинок» must not match the unfiltered «87 пластинок».
      await page.locator('[data-list-count]', { hasText: new RegExp(`(^|[^0-9 ])${recordsText(sold)}`) }).waitFor({ timeout: 10_000 });
      await expect(page.locator('[data-list-results]').textContent()).resolves.toContain('Violator');

      // With the API away, the index alone still finds Pink Floyd.
      await page.route(`${app.url}/**`, (route) => route.abort());
      await searchAndOpen(page, host.url);
      const missing = await page.goto(`${host.url}/records/1/`);
      expect(missing?.status()).toBe(200);
      await page.waitForURL(/\/records\/1\/[a-z0-9-]+\/$/);
      expect((await page.goto(`${host.url}/no/such/page/`))?.status()).toBe(404);
      await expect(page.locator('h1').textContent()).resolves.toBe('Страница не найдена');
    } finally {
      await page.close();
      await host.close();
      await rm(outDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a price edited in the sheet, in a real browser', () => {
  it('shows on the reloaded record page', async () => {
    const browser = await launchBrowser();
    const world = await startSheetWorld([catalogRow({ title: 'Kind of Blue', artist: 'Miles Davis', price: 3500 })]);
    try {
      const page = await browser.newPage();
      await page.goto(`${world.server.url}/records/1/`);
      await page.waitForURL(/\/records\/1\/miles-davis-kind-of-blue-1959\/$/);
      await expect(page.locator('.buy .price').textContent()).resolves.toBe('3 500 ₽');
      await world.emu.edit(Sheets.Catalog, `${col('price')}2`, 4200);
      await page.reload();
      await expect(page.locator('.buy .price').textContent()).resolves.toBe('4 200 ₽');
    } finally {
      await world.close();
      await browser.close();
    }
  }, 60_000);
});
