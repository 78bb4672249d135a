import type { ComponentChildren } from 'preact';
import { formatRub } from '../../shared/russian-format.ts';
import { botDeepLink, buyPayload, wantPayload } from '../../server/demand/deep-links.ts';
import { Cover } from '../components/cover.tsx';
import { Breadcrumbs, Layout } from '../components/layout.tsx';
import { RecordGrid } from '../components/record-card.tsx';
import { RequestForm } from '../components/request-form.tsx';
import { customerStatus, waitingText } from '../components/status-text.ts';
import { recordMeta } from '../seo/record-meta.ts';
import { breadcrumbJsonLd, productJsonLd } from '../seo/structured-data.ts';
import type { PageRecord, SiteContext } from '../site-context.ts';
import { catalogPath, coverPath, genrePath, genreSlug, recordPath } from '../site-urls.ts';

export interface RecordData {
  record: PageRecord;
  /** Records to offer instead of a sold or awaited one (same genre, on sale). */
  similar: PageRecord[];
}

/** What the customer can do, by status: buy, be told when it comes, or look at similar records. */
function Actions(props: { ctx: SiteContext; record: PageRecord }) {
  const { ctx, record: r } = props;
  if (r.status === 'available') {
    const buy = botDeepLink(ctx.botUsername, buyPayload(r.number));
    return buy ? (
      <a class="button" href={buy} rel="nofollow">Купить сейчас</a>
    ) : (
      <p class="notice">Чтобы купить эту пластинку, напишите нам и назовите номер {r.number}.</p>
    );
  }
  if (r.status === 'sold') return <p class="badge sold">Продано</p>;
  const want = botDeepLink(ctx.botUsername, wantPayload(r.number));
  return want ? (
    <a class="button secondary" href={want} rel="nofollow">Уведомить о поступлении</a>
  ) : null;
}

/** Name, status, facts, price with the action, promo slot, waiting count and the AI description. */
function RecordSummary(props: { ctx: SiteContext; record: PageRecord }) {
  const { ctx, record: r } = props;
  return (
    <div>
      <h1>
        {r.artist} — {r.title}
        {r.year ? ` (${r.year})` : ''}
      </h1>
      <p>
        <span class={`badge ${r.status}`}>{customerStatus[r.status]}</span>
      </p>
      <Facts record={r} />
      <div class="buy">
        {r.price !== null && r.status !== 'search_request' && r.status !== 'procurement' ? (
          <span class="price" data-price-text>{formatRub(r.price)}</span>
        ) : null}
        <Actions ctx={ctx} record={r} />
      </div>
      <div class="promo" data-promo hidden role="status" aria-live="polite" />
      {r.preorder.count > 0 && r.status !== 'available' && r.status !== 'sold' ? <p class="waiting">{waitingText(r.preorder.count)} эту пластинку</p> : null}
      {r.description ? (
        <section aria-labelledby="about">
          <h2 id="about">О пластинке</h2>
          <p class="description">{r.description}</p>
        </section>
      ) : null}
    </div>
  );
}

/** The record's genre page, when its genre has one. */
const genreLink = (r: PageRecord) => (r.genre && genreSlug(r.genre) ? genrePath(genreSlug(r.genre)) : null);

function Facts(props: { record: PageRecord }) {
  const r = props.record;
  const genre = genreLink(r);
  const facts: Array<[string, ComponentChildren]> = [
    ['Исполнитель', r.artist],
    ['Альбом', r.title],
    ['Год', r.year],
    ['Жанр', genre ? <a href={genre}>{r.genre}</a> : r.genre],
    ['Лейбл', r.label],
    ['Страна', r.country],
    ['Состояние', r.condition],
  ];
  return (
    <dl class="facts">
      {facts.filter(([, value]) => value !== null && value !== '').map(([name, value]) => [<dt>{name}</dt>, <dd>{value}</dd>])}
    </dl>
  );
}

export function RecordPage(props: { ctx: SiteContext; data: RecordData }) {
  const { ctx, data } = props;
  const r = data.record;
  const genre = genreLink(r);
  const trail = [
    { name: 'Главная', path: '/' },
    { name: 'Каталог', path: catalogPath() },
    ...(genre ? [{ name: r.genre!, path: genre }] : []),
    { name: `${r.artist} — ${r.title}`, path: recordPath(r) },
  ];
  const awaited = r.status === 'search_request' || r.status === 'procurement' || r.status === 'reserved';
  const meta = {
    ...recordMeta(r, ctx.shopName),
    canonical: recordPath(r),
    ogType: 'product' as const,
    image: r.image_url ?? coverPath(r),
    jsonLd: [productJsonLd(ctx.siteUrl, r), breadcrumbJsonLd(ctx.siteUrl, trail)],
  };
  return (
    <Layout ctx={ctx} meta={meta}>
      <Breadcrumbs trail={trail} />
      <article class="record" data-record={r.number} data-price={r.price ?? ''}>
        <Cover record={r} photoBases={ctx.photoBases} sizes="page" eager />
        <RecordSummary ctx={ctx} record={r} />
      </article>
      {awaited && !ctx.botUsername ? (
        <RequestForm ctx={ctx} artist={r.artist} title={r.title} recordId={r.id} heading="Уведомить о поступлении" />
      ) : null}
      {data.similar.length > 0 ? (
        <section aria-labelledby="similar">
          <h2 id="similar">{r.status === 'available' ? 'Похожие пластинки' : 'Похожие пластинки в наличии'}</h2>
          <RecordGrid records={data.similar} ctx={ctx} />
        </section>
      ) : null}
    </Layout>
  );
}
