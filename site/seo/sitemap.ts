import { escapeHtml } from '../../shared/html-escape.ts';
import type { PageRecord } from '../site-context.ts';
import { recordPath } from '../site-urls.ts';

/** Sitemap rules of the design document: available 1.0 daily, awaited 0.7 weekly, the rest weekly. */
export function sitemapEntry(record: PageRecord): { priority: string; changefreq: 'daily' | 'weekly' } {
  if (record.status === 'available') return { priority: '1.0', changefreq: 'daily' };
  if (record.status === 'search_request' || record.status === 'procurement') return { priority: '0.7', changefreq: 'weekly' };
  if (record.status === 'reserved') return { priority: '0.8', changefreq: 'daily' };
  return { priority: '0.3', changefreq: 'weekly' };
}

export interface SitemapPage {
  path: string;
  lastmod: string;
  priority: string;
  changefreq: string;
}

const url = (siteUrl: string, loc: string, lastmod: string, changefreq: string, priority: string) =>
  `<url><loc>${escapeHtml(siteUrl + loc)}</loc><lastmod>${lastmod.slice(0, 10)}</lastmod><changefreq>${changefreq}</changefreq><priority>${priority}</priority></url>`;

/**
 * A record's line as bytes, made once per record object: the export rewrites the sitemap after
 * every edit, and a snapshot replaces a record's object only when it changes, so the memo never
 * outlives its data and an edit encodes one line.
 */
const recordLines = new WeakMap<PageRecord, { siteUrl: string; line: Buffer }>();
function recordLine(siteUrl: string, record: PageRecord): Buffer {
  let memo = recordLines.get(record);
  if (memo?.siteUrl !== siteUrl) {
    const entry = sitemapEntry(record);
    recordLines.set(record, (memo = { siteUrl, line: Buffer.from(`${url(siteUrl, recordPath(record), record.updated_at, entry.changefreq, entry.priority)}\n`) }));
  }
  return memo.line;
}

/** sitemap.xml (https://www.sitemaps.org/protocol.html): at most 50,000 URLs, which a shop of records stays under. */
export function renderSitemap(siteUrl: string, pages: SitemapPage[], records: PageRecord[]): Buffer {
  const head = Buffer.from(
    ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...pages.map((p) => url(siteUrl, p.path, p.lastmod, p.changefreq, p.priority)), ''].join('\n'),
  );
  return Buffer.concat([head, ...records.map((r) => recordLine(siteUrl, r)), sitemapTail]);
}
const sitemapTail = Buffer.from('</urlset>\n');

export function renderRobots(siteUrl: string): string {
  return ['User-agent: *', 'Allow: /', 'Disallow: /api/', '', `Sitemap: ${siteUrl}/sitemap.xml`, ''].join('\n');
}
