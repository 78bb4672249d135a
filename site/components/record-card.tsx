import { formatRub } from '../../shared/russian-format.ts';
import type { PageRecord } from '../site-context.ts';
import { recordPath } from '../site-urls.ts';
import { Cover } from './cover.tsx';
import { customerStatus, waitingText } from './status-text.ts';

/** A record in a list: cover, artist, title, year, price or how many people wait, status. */
export function RecordCard(props: { record: PageRecord }) {
  const r = props.record;
  const waiting = (r.status === 'search_request' || r.status === 'procurement') && r.preorder.count > 0;
  return (
    <li class="card">
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
    </li>
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
