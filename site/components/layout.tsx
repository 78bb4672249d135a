import type { ComponentChildren } from 'preact';
import { renderFragment } from '../render-document.ts';
import { scriptJson } from '../seo/structured-data.ts';
import type { SiteContext } from '../site-context.ts';
import { catalogPath, searchPath } from '../site-urls.ts';

export interface PageMeta {
  title: string;
  description: string;
  keywords?: string;
  /** The title is complete as it is (the AI's SEO title carries its own wording): no shop name added. */
  titleIsFinal?: boolean;
  /** Path of the page's canonical URL. */
  canonical: string;
  /** Filtered listings and the 404 are not indexed (their links are still followed). */
  noindex?: boolean;
  ogType?: 'website' | 'product';
  image?: string;
  jsonLd?: Array<Record<string, unknown> | null>;
  /** Previous and next pages of a list. */
  prev?: string;
  next?: string;
}

/** Header and footer are the same on every page of a context: rendered once. */
const chrome = new WeakMap<SiteContext, { header: string; footer: string }>();

function chromeOf(ctx: SiteContext) {
  let parts = chrome.get(ctx);
  if (!parts) chrome.set(ctx, (parts = { header: renderFragment(<Header ctx={ctx} />), footer: renderFragment(<Footer ctx={ctx} />) }));
  return parts;
}

function Header(props: { ctx: SiteContext }) {
  return (
    <div class="wrap">
      <a class="logo" href="/">{props.ctx.shopName}</a>
      <nav class="nav" aria-label="Разделы">
        <a href={catalogPath()}>Каталог</a>
        <a href={searchPath}>Поиск</a>
      </nav>
      <form class="header-search" role="search" action={searchPath} method="get">
        <label class="visually-hidden" for="header-q">Поиск пластинок</label>
        <input id="header-q" type="search" name="q" placeholder="Исполнитель или альбом" autocomplete="off" />
        <button type="submit">Найти</button>
      </form>
    </div>
  );
}

function Footer(props: { ctx: SiteContext }) {
  return (
    <div class="wrap">
      <p>{props.ctx.shopName}: виниловые пластинки с историей. Не нашли нужную — <a href={searchPath}>оставьте запрос</a>, мы найдём.</p>
    </div>
  );
}

/** How the page looks when shared: Open Graph (Telegram, VK) and Twitter cards. */
function SocialTags(props: { ctx: SiteContext; meta: PageMeta; url: string }) {
  const { ctx, meta } = props;
  const image = meta.image ? (/^https?:/.test(meta.image) ? meta.image : `${ctx.siteUrl}${meta.image}`) : undefined;
  return (
    <>
      <meta property="og:site_name" content={ctx.shopName} />
      <meta property="og:locale" content="ru_RU" />
      <meta property="og:type" content={meta.ogType ?? 'website'} />
      <meta property="og:title" content={meta.title} />
      <meta property="og:description" content={meta.description} />
      <meta property="og:url" content={props.url} />
      {image ? <meta property="og:image" content={image} /> : null}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={meta.title} />
      <meta name="twitter:description" content={meta.description} />
      {image ? <meta name="twitter:image" content={image} /> : null}
    </>
  );
}

/** The head: title, description, canonical, sharing tags, the stylesheet, JSON-LD. */
function Head(props: { ctx: SiteContext; meta: PageMeta }) {
  const { ctx, meta } = props;
  const canonical = `${ctx.siteUrl}${meta.canonical}`;
  const fullTitle = meta.titleIsFinal || meta.title.includes(ctx.shopName) ? meta.title : `${meta.title} — ${ctx.shopName}`;
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{fullTitle}</title>
      <meta name="description" content={meta.description} />
      {meta.keywords ? <meta name="keywords" content={meta.keywords} /> : null}
      {meta.noindex ? <meta name="robots" content="noindex, follow" /> : null}
      <link rel="canonical" href={canonical} />
      {meta.prev ? <link rel="prev" href={`${ctx.siteUrl}${meta.prev}`} /> : null}
      {meta.next ? <link rel="next" href={`${ctx.siteUrl}${meta.next}`} /> : null}
      <meta name="theme-color" content="#1b1b1f" />
      <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
      <SocialTags ctx={ctx} meta={meta} url={canonical} />
      <style dangerouslySetInnerHTML={{ __html: ctx.assets.css }} />
      {(meta.jsonLd ?? []).filter(Boolean).map((data) => (
        <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: scriptJson(data) }} />
      ))}
    </head>
  );
}

/** The frame of every page: head with SEO tags, header with search, footer. */
export function Layout(props: { ctx: SiteContext; meta: PageMeta; children: ComponentChildren }) {
  const { ctx } = props;
  return (
    <html lang="ru">
      <Head ctx={ctx} meta={props.meta} />
      <body data-api={ctx.apiBase} data-static={ctx.static ? '1' : undefined} data-photos={ctx.photoBases.join(' ')}>
        <a class="skip" href="#main">Перейти к содержимому</a>
        <header class="site-header" dangerouslySetInnerHTML={{ __html: chromeOf(ctx).header }} />
        <main id="main" class="wrap">{props.children}</main>
        <footer class="site-footer" dangerouslySetInnerHTML={{ __html: chromeOf(ctx).footer }} />
        <script src={ctx.assets.script} defer />
      </body>
    </html>
  );
}

export function Breadcrumbs(props: { trail: Array<{ name: string; path: string }> }) {
  return (
    <nav class="breadcrumbs" aria-label="Навигационная цепочка">
      <ol>
        {props.trail.map((step, i) =>
          i === props.trail.length - 1 ? <li aria-current="page">{step.name}</li> : (
            <li>
              <a href={step.path}>{step.name}</a>
            </li>
          ),
        )}
      </ol>
    </nav>
  );
}
