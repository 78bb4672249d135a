import { photoSrcset, photoVariants } from '../../shared/photo-variants.ts';
import type { PageRecord } from '../site-context.ts';
import { coverPath } from '../site-urls.ts';
import { coverSizes } from './cover-sizes.ts';

/** Cover size in pixels: width and height are always given, so the image never shifts the page. */
export const coverSize = 600;

/**
 * The record's cover: its photo, or the generated cover (cover-svg.tsx) when there is none, so a
 * record never shows a broken image. A photo the server stored comes in two sizes (srcset), the
 * browser takes the one the screen needs. Lists load covers lazily; the record page's is the
 * page's largest image and loads first.
 */
export function Cover(props: { record: PageRecord; photoBases: readonly string[]; eager?: boolean; sizes: keyof typeof coverSizes }) {
  const { record } = props;
  const variants = photoVariants(record.image_url, props.photoBases);
  return (
    <img
      class="cover"
      src={variants ? (props.sizes === 'card' ? variants.thumb : variants.cover) : (record.image_url ?? coverPath(record))}
      {...(variants ? { srcset: photoSrcset(variants), sizes: coverSizes[props.sizes] } : {})}
      alt={`Обложка пластинки ${record.artist} — ${record.title}`}
      width={coverSize}
      height={coverSize}
      loading={props.eager ? 'eager' : 'lazy'}
      decoding="async"
      {...(props.eager ? { fetchpriority: 'high' } : {})}
    />
  );
}
