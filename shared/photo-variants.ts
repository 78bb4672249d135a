/**
 * The web sizes of a record photo the server stored. The admin bot keeps every photo under a key
 * made from its SHA-256 (server/telegram/admin/photos/photo-intake.ts): `<key>/cover.jpg` (at most
 * 1200 px a side), `<key>/thumb.jpg` (at most 320 px) and the original; the record's photo_url is
 * the cover. Pages offer the browser both sizes; any other photo URL (typed into the sheet) is
 * shown as it is, since nobody made a thumbnail of it. Pure: the server's pages and the browser's
 * search results use it alike.
 */

/** Longest side of each variant in pixels: server/media/image-variants.ts makes them, pages announce them. */
export const photoVariantWidths = { thumb: 320, cover: 1200 } as const;

export interface PhotoVariants {
  cover: string;
  thumb: string;
}

const storedCover = /^[0-9a-f]{32}\/cover\.jpg$/;

/**
 * The cover and thumbnail URLs of a photo stored by the server under one of `bases` (where the
 * server's photo storage publishes: PUBLIC_API_URL/media/ or the Supabase bucket's public URL);
 * null for any other URL.
 */
export function photoVariants(url: string | null, bases: readonly string[]): PhotoVariants | null {
  if (!url) return null;
  const base = bases.find((b) => url.startsWith(b));
  if (base === undefined || !storedCover.test(url.slice(base.length))) return null;
  return { cover: url, thumb: `${url.slice(0, -'cover.jpg'.length)}thumb.jpg` };
}

/** The srcset of both variants (widths are the longest side: exact for square covers, close for the rest). */
export const photoSrcset = (v: PhotoVariants) => `${v.thumb} ${photoVariantWidths.thumb}w, ${v.cover} ${photoVariantWidths.cover}w`;
