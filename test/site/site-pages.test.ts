import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCatalogRepository } from '../../server/catalog/catalog-repository.ts';
import { seedDemoCatalog } from '../../server/catalog/seed-demo-catalog.ts';
import { transports, type TestDatabase } from '../support/databases.ts';
import { startTestApp } from '../support/test-app.ts';
import { canonical, jsonLd, links, merchantListingProblems, meta, title } from './support/html.ts';

const siteUrl = 'https://shop.example';

/** «87 пластинок», «4 пластинки», «21 пластинка»: the Russian plural, written out here so the test checks the site's. */
const recordsText = (count: number) => {
  const mod10 = count % 10;
  const mod100 = count % 100;
  const word = mod10 === 1 && mod100 !== 11 ? 'пластинка' : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? 'пластинки' : 'пластинок';
  return `${count.toLocaleString('ru-RU').replace(/\u00a0/g, ' ')} ${word}`;
};

describe.each(transports)('store website served by the Node server over %s', (_name, open) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  const page = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(app.url + path, { headers: { accept: 'text/html', ...headers }, redirect: 'manual' });
    return { status: response.status, headers: response.headers, html: await response.text() };
  };
  const recordNumber = async (title: string) => {
    const [row] = await database.sql<{ number: number; slug: string }>('select number, slug from records where title = $1', [title]);
    return row!;
  };

  beforeAll(async () => {
    database = await open();
    await seedDemoCatalog(createCatalogRepository(database.db));
    app = await startTestApp(database.db, { PUBLIC_SITE_URL: siteUrl, TELEGRAM_BOT_TOKEN: '123:abc', ADMIN_TELEGRAM_ID: '1', TELEGRAM_BOT_USERNAME: 'vinyl_test_bot', TELEGRAM_API_ROOT: 'http://127.0.0.1:9' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('the home page is Russian and shows new arrivals, the most awaited records with their counts, and genres', async () => {
    const { status, html } = await page('/');
    expect(status).toBe(200);
    expect(html).toMatch(/^<!DOCTYPE html><html lang="ru">/);
    expect(html).toContain('Новые поступления');
    // Звезда по имени Солнце has 14 people waiting: the most awaited.
    expect(html).toMatch(/Их ждут[\s\S]*Звезда по имени Солнце[\s\S]*14 человек ждут/);
    expect(links(html)).toContain('/genres/progressive-rock/');
    expect(canonical(html)).toBe(`${siteUrl}/`);
  });

  it('a record page has the AI texts, the facts, the price in roubles, «Купить сейчас» and complete SEO', async () => {
    const { number, slug } = await recordNumber('The Dark Side of the Moon');
    const path = `/records/${number}/${slug}/`;
    const { status, html } = await page(path);
    expect(status).toBe(200);
    expect(html).toContain('<h1>Pink Floyd — The Dark Side of the Moon (1973)</h1>');
    expect(html).toContain('8 500 ₽');
    expect(html).toContain('<dt>Лейбл</dt><dd>Harvest</dd>');
    expect(html).toContain(`href="https://t.me/vinyl_test_bot?start=buy_${number}"`);
    expect(html).toMatch(/width="600" height="600"/);
    expect(canonical(html)).toBe(`${siteUrl}${path}`);
    expect(title(html)!.length).toBeLessThanOrEqual(70);
    expect(meta(html, 'description')!.length).toBeLessThanOrEqual(160);
    expect(meta(html, 'keywords')).toMatch(/pink floyd/i);
    expect(meta(html, 'og:type')).toBe('product');
    expect(meta(html, 'og:image')).toBe(`${siteUrl}/covers/${number}.svg`);
    expect(meta(html, 'twitter:card')).toBe('summary_large_image');
    const [product, breadcrumbs] = jsonLd(html);
    expect(merchantListingProblems(product!)).toEqual([]);
    expect(product!.offers).toMatchObject({ price: '8500.00', priceCurrency: 'RUB', availability: 'https://schema.org/InStock' });
    expect(breadcrumbs!['@type']).toBe('BreadcrumbList');
    expect(breadcrumbs!.itemListElement.map((i: { name: string }) => i.name)).toEqual(['Главная', 'Каталог', 'Progressive Rock', 'Pink Floyd — The Dark Side of the Moon']);
  });

  it('availability follows the status: reserved OutOfStock, sold SoldOut; a search request without a price has no Product', async () => {
    const product = async (title: string) => {
      const { number, slug } = await recordNumber(title);
      return jsonLd((await page(`/records/${number}/${slug}/`)).html).find((d) => d['@type'] === 'Product');
    };
    expect((await product('Led Zeppelin IV'))!.offers.availability).toBe('https://schema.org/OutOfStock');
    const sold = await product('Violator');
    expect(sold!.offers.availability).toBe('https://schema.org/SoldOut');
    expect(merchantListingProblems(sold!)).toEqual([]);
    expect(await product('OK Computer')).toBeUndefined();
  });

  it('an awaited record shows how many people wait and «Уведомить о поступлении»; a sold one «Продано» and similar records', async () => {
    const wall = await recordNumber('The Wall');
    const awaited = (await page(`/records/${wall.number}/${wall.slug}/`)).html;
    expect(awaited).toContain('12 человек ждут эту пластинку');
    expect(awaited).toContain(`href="https://t.me/vinyl_test_bot?start=want_${wall.number}"`);
    expect(awaited).toContain('Уведомить о поступлении');
    const violator = await recordNumber('Violator');
    const sold = (await page(`/records/${violator.number}/${violator.slug}/`)).html;
    expect(sold).toContain('Продано');
    expect(sold).not.toContain('Купить сейчас');
  });

  it('a wrong or old slug redirects to the record\'s one address, keeping ?promo', async () => {
    const { number, slug } = await recordNumber('Abbey Road');
    for (const wrong of [`/records/${number}/old-title`, `/records/${number}`, `/records/${number}/${slug}`]) {
      const { status, headers } = await page(`${wrong}?promo=PRE-1-ABCDEFGHJK`);
      expect(status, wrong).toBe(301);
      expect(headers.get('location')).toBe(`/records/${number}/${slug}/?promo=PRE-1-ABCDEFGHJK`);
    }
  });

  it('an unknown page is the site\'s 404 page for a browser, and the API keeps its JSON 404', async () => {
    const missing = await page('/records/999999/nothing/');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('Страница не найдена');
    expect(meta(missing.html, 'robots')).toBe('noindex, follow');
    const api = await fetch(`${app.url}/api/nope`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: expect.any(String) });
  });

  it('the catalog paginates with real links and filters by status, decade and price; filtered pages are not indexed', async () => {
    // The catalog lists every record not deleted, 24 a page (the demo catalog grows: count, do not assume).
    const count = async (where: string) => (await database.sql<{ n: number }>(`select count(*)::int as n from records where deleted_at is null and status <> 'deleted' and ${where}`))[0]!.n;
    const total = await count('true');
    const pages = Math.ceil(total / 24);
    expect(pages).toBeGreaterThan(1);
    const first = await page('/catalog/');
    expect(first.status).toBe(200);
    expect(first.html).toContain(recordsText(total));
    expect(links(first.html)).toContain('/catalog/page/2/');
    expect(first.html).toContain('<link rel="next" href="https://shop.example/catalog/page/2/"/>');
    const last = await page(`/catalog/page/${pages}/`);
    expect(last.html).toContain(`страница ${pages} из ${pages}`);
    expect(canonical(last.html)).toBe(`${siteUrl}/catalog/page/${pages}/`);
    expect((await page(`/catalog/page/${pages + 1}/`)).status).toBe(404);

    const sold = await page('/catalog/?status=sold');
    expect(sold.html).toContain(recordsText(await count("status = 'sold'")));
    expect(sold.html).toContain('Violator');
    expect(sold.html).not.toContain('Abbey Road');
    expect(meta(sold.html, 'robots')).toBe('noindex, follow');
    expect(canonical(sold.html)).toBe(`${siteUrl}/catalog/`);
    const seventiesCheap = await page('/catalog/?decade=1970&price=3000-6000');
    expect(seventiesCheap.html).toContain('Hotel California'); // 1976, 5 700 ₽
    expect(seventiesCheap.html).not.toContain('Wish You Were Here'); // 1975, 6 900 ₽
    expect(links(seventiesCheap.html)).toContain('/catalog/?status=available&decade=1970&price=3000-6000');
  });

  it('genre pages list their records, including Cyrillic genres', async () => {
    const rock = await page('/genres/rok/');
    expect(rock.status).toBe(200);
    expect(rock.html).toContain('<h1>Рок: виниловые пластинки</h1>');
    expect(rock.html).toContain('Группа крови');
    expect(rock.html).not.toContain('Abbey Road');
    expect((await page('/genres/no-such-genre/')).status).toBe(404);
  });

  it('the search page answers «пинк флойд» in the HTML too, and offers the request form', async () => {
    const { html } = await page(`/search/?q=${encodeURIComponent('пинк флойд')}`);
    expect(html).toContain('The Dark Side of the Moon');
    expect(html).toContain('Wish You Were Here');
    const empty = await page(`/search/?q=${encodeURIComponent('Несуществующая группа')}`);
    expect(empty.html).toContain('Ничего не нашлось');
    expect(empty.html).toContain('Запросить пластинку');
    expect(empty.html).toContain('data-telegram-login="vinyl_test_bot"');
  });

  it('sitemap.xml ranks available records 1.0 daily and search requests 0.7 weekly with lastmod; robots.txt points at it', async () => {
    const sitemap = await (await fetch(`${app.url}/sitemap.xml`)).text();
    const abbey = await recordNumber('Abbey Road');
    const ok = await recordNumber('OK Computer');
    const entry = (n: { number: number; slug: string }) => new RegExp(`<url><loc>${siteUrl}/records/${n.number}/${n.slug}/</loc><lastmod>(\\d{4}-\\d\\d-\\d\\d)</lastmod><changefreq>(\\w+)</changefreq><priority>([\\d.]+)</priority></url>`).exec(sitemap);
    expect(entry(abbey)?.slice(2)).toEqual(['daily', '1.0']);
    expect(entry(ok)?.slice(2)).toEqual(['weekly', '0.7']);
    expect(entry(abbey)?.[1]).toBe(new Date().toISOString().slice(0, 10));
    expect(sitemap).toContain(`<loc>${siteUrl}/genres/rok/</loc>`);
    const robots = await (await fetch(`${app.url}/robots.txt`)).text();
    expect(robots).toContain(`Sitemap: ${siteUrl}/sitemap.xml`);
  });

  it('a record without a photo gets a generated SVG cover naming it', async () => {
    const { number } = await recordNumber('Kind of Blue');
    const response = await fetch(`${app.url}/covers/${number}.svg`);
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    const svg = await response.text();
    expect(svg).toContain('MILES DAVIS');
    expect(svg).toContain('Kind of Blue');
    expect(svg).toContain('viewBox="0 0 600 600"');
  });

  it('a photo the server stored is offered in both sizes (srcset, sizes, width and height); a typed-in photo URL is shown as it is', async () => {
    const home = await page('/');
    // Where this server's photo storage publishes, as the page tells its own scripts.
    const base = /<body [^>]*data-photos="([^"]*)"/.exec(home.html)![1]!;
    const stored = await recordNumber('Wish You Were Here');
    const typed = await recordNumber('Rumours');
    const key = 'ab'.repeat(16);
    await database.sql(`update records set photo_url = $2 where number = $1`, [stored.number, `${base}${key}/cover.jpg`]);
    await database.sql(`update records set photo_url = 'https://img.example/rumours.jpg' where number = $1`, [typed.number]);
    await app.vinyl.catalog.registerInterest((await app.vinyl.catalog.get(String(stored.number)))!.id, 'site-photo-test');

    const img = (html: string, src: RegExp) => [...html.matchAll(/<img [^>]*>/g)].map((m) => m[0]).find((tag) => src.test(tag));
    const storedPage = (await page(`/records/${stored.number}/${stored.slug}/`)).html;
    const cover = img(storedPage, /fetchpriority/)!;
    expect(cover).toContain(`src="${base}${key}/cover.jpg"`);
    expect(cover).toContain(`srcset="${base}${key}/thumb.jpg 320w, ${base}${key}/cover.jpg 1200w"`);
    expect(cover).toContain('sizes="(min-width: 800px) 420px, 100vw"');
    expect(cover).toMatch(/width="600" height="600"/);
    expect(cover).toContain('loading="eager"');

    // In a list the thumbnail is the default, loaded lazily below the first cards.
    const genre = (await page(`/genres/progressive-rock/`)).html;
    const card = img(genre, new RegExp(`${key}/thumb\\.jpg"`))!;
    expect(card).toContain(`srcset="${base}${key}/thumb.jpg 320w, ${base}${key}/cover.jpg 1200w"`);
    expect(card).toContain('sizes="(min-width: 960px) 260px, (min-width: 640px) 33vw, 50vw"');
    expect([...genre.matchAll(/<img [^>]*>/g)].slice(2).every((m) => m[0].includes('loading="lazy"'))).toBe(true);

    const typedCover = img((await page(`/records/${typed.number}/${typed.slug}/`)).html, /fetchpriority/)!;
    expect(typedCover).toContain('src="https://img.example/rumours.jpg"');
    expect(typedCover).not.toContain('srcset');
  });

  it('pages are cached with an ETag (304 on revalidation) and a catalog change is on the next request', async () => {
    const { number, slug } = await recordNumber('Nevermind');
    const path = `/records/${number}/${slug}/`;
    const first = await page(path, { 'accept-encoding': 'br' });
    expect(first.headers.get('content-encoding')).toBe('br');
    const etag = first.headers.get('etag')!;
    expect((await page(path, { 'if-none-match': etag })).status).toBe(304);
    await database.sql(`update records set price = 8123 where number = $1`, [number]);
    // A write through the server's own database handle is what moves the cache on.
    await app.vinyl.catalog.registerInterest((await app.vinyl.catalog.get(String(number)))!.id, 'site-test');
    const after = await page(path);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(after.html).toContain('8 123 ₽');
  });

  it('text from the catalog is escaped in the HTML and cannot close the JSON-LD script', async () => {
    await createCatalogRepository(database.db).importRecords([
      { title: '</script><script>alert(1)</script>', artist: '<img src=x onerror=alert(1)>', genre: 'Rock', condition: 'VG', price: 1000, status: 'available' },
    ]);
    const [row] = await database.sql<{ number: number; slug: string }>(`select number, slug from records where title like '</script>%'`);
    const { html } = await page(`/records/${row!.number}/${row!.slug}/`);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)>');
    const product = jsonLd(html).find((d) => d['@type'] === 'Product');
    expect(product!.name).toBe('<img src=x onerror=alert(1)> — </script><script>alert(1)</script>');
  });
});
