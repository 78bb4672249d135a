import { renderToStaticMarkup } from 'preact-render-to-string';
import { formatRub } from '../../shared/russian-format.ts';
import type { PageRecord } from '../site-context.ts';
import { recordPath } from '../site-urls.ts';
import { Cover } from './cover.tsx';
import { customerStatus, waitingText } from './status-text.ts';

/**
 * A card's inner HTML, rendered once per record object: lists and «similar records» show the same
 * card on many pages, and a snapshot replaces a record's object when it changes, so the memo
 * never outlives the data it was made from.
 */
const cardHtml = new WeakMap<PageRecord, string>();

/** A record in a list: cover, artist, title, year, price or how many people wait, status. */
export function RecordCard(props: { record: PageRecord }) {
  let html = cardHtml.get(props.record);
  if (html === undefined) cardHtml.set(props.record, (html = renderToStaticMarkup(<CardLink record={props.record} />)));
  return <li class="card" dangerouslySetInnerHTML={{ __html: html }} />;
}

function CardLink(props: { record: PageRecord }) {
  const r = props.record;
  const waiting = (r.status === 'search_request' || r.status === 'procurement') && r.preorder.count > 0;
  return (
    <a class="card-link" href={recordPath(r)}>
        <Cover record={r} />
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

export function RecordGrid(props: { records: PageRecord[] }) {
  return (
    <ul class="grid">
      {props.records.map((record) => (
        <RecordCard record={record} />
      ))}
    </ul>
  );
}
