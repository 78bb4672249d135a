import sharp, { type Metadata, type OutputInfo, type Sharp } from 'sharp';
import { photoVariantWidths } from '../../shared/photo-variants.ts';

/** A photo taken in: its format as decoded (never the file name or the declared type), web variants, and its hash. */
export interface ImageVariants {
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  cover: Buffer;
  thumb: Buffer;
  /** 64-bit difference hash (dHash) as a signed decimal, the way Postgres stores a bigint. */
  phash: string;
}

export class ImageRejected extends Error {
  constructor(readonly reason: 'not_image' | 'format' | 'too_large_image') {
    super(`image rejected: ${reason}`);
  }
}

// A 10 MB JPEG can hold a huge canvas; refuse decompression bombs beyond 100 megapixels.
const maxPixels = 100_000_000;
// The longest sides the pages announce in their srcset (shared/photo-variants.ts).
const { cover: coverSize, thumb: thumbSize } = photoVariantWidths;

/**
 * Decodes once (JPEG shrink-on-load), then the cover (1200 px), the thumbnail (320 px) and the
 * dHash are made from that one smaller image: the 10 MB photo costs one decode, not three.
 * EXIF orientation is applied and metadata (GPS!) dropped from the variants.
 */
export async function makeImageVariants(bytes: Buffer): Promise<ImageVariants> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: maxPixels }).metadata();
  } catch {
    throw new ImageRejected('not_image');
  }
  if (meta.format !== 'jpeg' && meta.format !== 'png') throw new ImageRejected('format');
  if ((meta.width ?? 0) * (meta.height ?? 0) > maxPixels) throw new ImageRejected('too_large_image');
  let base: { data: Buffer; info: OutputInfo };
  try {
    base = await sharp(bytes, { limitInputPixels: maxPixels })
      .rotate()
      .resize(coverSize, coverSize, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw new ImageRejected('not_image');
  }
  const raw = { raw: { width: base.info.width, height: base.info.height, channels: base.info.channels } } as const;
  const [cover, thumb, phash] = await Promise.all([
    sharp(base.data, raw).jpeg({ quality: 82, progressive: true }).toBuffer(),
    sharp(base.data, raw).resize(thumbSize, thumbSize, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer(),
    differenceHash(sharp(base.data, raw)),
  ]);
  return { format: meta.format, width: base.info.width, height: base.info.height, cover, thumb, phash };
}

/** dHash: 9×8 grey pixels, one bit per neighbour pair (left brighter than right). */
async function differenceHash(image: Sharp): Promise<string> {
  const px = await image.greyscale().resize(9, 8, { fit: 'fill' }).raw().toBuffer();
  let hash = 0n;
  for (let y = 0; y < 8; y++) {
    for (let x = 0; x < 8; x++) hash = (hash << 1n) | (px[y * 9 + x]! > px[y * 9 + x + 1]! ? 1n : 0n);
  }
  return BigInt.asIntN(64, hash).toString();
}

/** Bits that differ between two hashes (the database computes the same with bit_count). */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt.asUintN(64, BigInt(a) ^ BigInt(b));
  let n = 0;
  for (; x > 0n; x >>= 1n) n += Number(x & 1n);
  return n;
}
