import { photoSrcset, photoVariants } from '../../shared/photo-variants.ts';
import { formatRub } from '../../shared/russian-format.ts';
import { coverSizes } from '../components/cover-sizes.ts';
import { customerStatus, waitingText } from '../components/status-text.ts';
import { coverPath, recordPath } from '../site-urls.ts';
import type { RecordStatus } from '../../shared/record-status.ts';

export interface CardData {
  number: number;
  slug: string;
  artist: string;
  title: string;
  year: number | null;
  status: RecordStatus;
  price: number | null;
  waiting: number;
  image: string | null;
}

/** The same card as site/components/record-card.tsx, built with the DOM (text only, never HTML). */
export function resultCard(r: CardData): HTMLLIElement {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const li = el('li', 'card');
  const link = el('a', 'card-link');
  link.href = recordPath(r);
  const img = el('img', 'cover');
  // The page says where the server's photos live (Layout's data-photos): those have a thumbnail.
  const variants = photoVariants(r.image, document.body.dataset.photos?.split(' ').filter(Boolean) ?? []);
  if (variants) {
    img.srcset = photoSrcset(variants);
    img.sizes = coverSizes.card;
  }
  img.src = variants?.thumb ?? r.image ?? coverPath(r);
  img.alt = `Обложка пластинки ${r.artist} — ${r.title}`;
  img.width = 600;
  img.height = 600;
  img.loading = 'lazy';
  img.decoding = 'async';
  const body = el('div', 'card-body');
  body.append(el('span', 'card-artist', r.artist), el('span', 'card-title', `${r.title}${r.year ? ` (${r.year})` : ''}`));
  const meta = el('span', 'card-meta');
  const waiting = (r.status === 'search_request' || r.status === 'procurement') && r.waiting > 0;
  meta.append(
    waiting ? el('span', 'waiting', waitingText(r.waiting)) : el('span', 'price', r.price !== null ? formatRub(r.price) : ''),
    el('span', `badge ${r.status}`, customerStatus[r.status]),
  );
  body.append(meta);
  link.append(img, body);
  li.append(link);
  return li;
}

export function resultGrid(cards: CardData[]): HTMLUListElement {
  const ul = document.createElement('ul');
  ul.className = 'grid';
  ul.append(...cards.map(resultCard));
  return ul;
}
