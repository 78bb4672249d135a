import type { PageRecord } from '../site-context.ts';
import { coverPath } from '../site-urls.ts';

/** Cover size in pixels: width and height are always given, so the image never shifts the page. */
export const coverSize = 600;

/**
 * The record's cover: its photo, or the generated cover (cover-svg.tsx) when there is none, so a
 * record never shows a broken image. Lists load covers lazily; the record page's is the page's
 * largest image and loads first.
 */
export function Cover(props: { record: PageRecord; eager?: boolean }) {
  const { record } = props;
  return (
    <img
      class="cover"
      src={record.image_url ?? coverPath(record)}
      alt={`Обложка пластинки ${record.artist} — ${record.title}`}
      width={coverSize}
      height={coverSize}
      loading={props.eager ? 'eager' : 'lazy'}
      decoding="async"
      {...(props.eager ? { fetchpriority: 'high' } : {})}
    />
  );
}
