import type { PublicRecord } from '../shared/catalog-contract.ts';

/** What every page needs besides its data: where the site lives and how its scripts reach the API. */
export interface SiteContext {
  /** Absolute origin of the pages, for canonical URLs, Open Graph and the sitemap (no trailing slash). */
  siteUrl: string;
  /** Where the pages' scripts call the API: '' on the Node server, the server's URL on a static host. */
  apiBase: string;
  /** The bot for «Купить сейчас» / «Уведомить» deep links and the Login Widget; none: the request form. */
  botUsername?: string;
  /** The stylesheet (inlined) and the script's URL (content-hashed). */
  assets: { css: string; script: string };
  /** Pages for a static host: filters run in the browser (site/client/list-filter.ts). */
  static?: boolean;
  /** Where the server's photo storage publishes (shared/photo-variants.ts): photos there come in two sizes. */
  photoBases: readonly string[];
  /** The store's name in titles and headers. */
  shopName: string;
}

/** A record as the pages show it (lists carry an excerpt, the record page the whole description). */
export type PageRecord = PublicRecord;
