import { renderToStaticMarkup } from 'preact-render-to-string';
import { formatRub } from '../../shared/russian-format.ts';
import { renderFragment } from '../render-document.ts';
import type { PageRecord, SiteContext } from '../site-context.ts';
import { recordPath } from '../site-urls.ts';
import { Cover } from './cover.tsx';
import { customerStatus, waitingText } from './status-text.ts';

/**
 * A card's inner HTML, rendered once per record object: lists and «similar records» show the same
 * card on many pages, and a snapshot replaces a record's object when it changes, so the memo
 * never outlives the data it was made from.
 */
const cardHtml = new WeakMap<PageRecord, { photoBases: readonly string[]; html: string }>();

/** A record in a list: cover, artist, title, year, price or how many people wait, status. */
export function RecordCard(props: { record: PageRecord; photoBases: readonly string[]; eager?: boolean }) {
  const { record, photoBases } = props;
  // The few covers above the fold load at once (each page has its own): not memoized.
  if (props.eager) return <li class="card" dangerouslySetInnerHTML={{ __html: renderToStaticMarkup(<CardLink record={record} photoBases={photoBases} eager />) }} />;
  let memo = cardHtml.get(record);
  if (memo?.photoBases !== photoBases) cardHtml.set(record, (memo = { photoBases, html: renderFragment(<CardLink record={record} photoBases={photoBases} />) }));
  return <li class="card" dangerouslySetInnerHTML={{ __html: memo.html }} />;
}

function CardLink(props: { record: PageRecord; photoBases: readonly string[]; eager?: boolean }) {
  const r = props.record;
  const waiting = (r.status === 'search_request' || r.status === 'procurement') && r.preorder.count > 0;
  return (
    <a class="card-link" href={recordPath(r)}>
        <Cover record={r} photoBases={props.photoBases} eager={props.eager} sizes="card" />
        <div class="card-body">
          <span class="card-artist">{r.artist}</span>
          <span class="card-title">
            {r.title}
            {r.year ? ` (${r.year})` : ''}
          </span>
          <span class="card-meta">
            {waiting ? <span class="waiting">{waitingText(r.preorder.count)}</span> : <span class="price">{r.price !== null ? formatRub(r.price) : ''}</span>}
            <span class={`badge ${r.status}`}>{customerStatus[r.status]}</span>
          </span>
        </div>
      </a>
  );
}

/** Cards in a grid; `eager`: how many of the first load at once (above the fold on a phone). */
export function RecordGrid(props: { records: PageRecord[]; ctx: SiteContext; eager?: number }) {
  const eager = props.eager ?? 0;
  return (
    <ul class="grid">
      {props.records.map((record, i) => (
        <RecordCard record={record} photoBases={props.ctx.photoBases} eager={i < eager} />
      ))}
    </ul>
  );
}
