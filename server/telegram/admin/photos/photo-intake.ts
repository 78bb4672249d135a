import { createHash } from 'node:crypto';
import type { Api } from 'node-telegram-bot-api';
import { ImageRejected, makeImageVariants } from '../../../media/image-variants.ts';
import type { PhotoStorage } from '../../../media/photo-storage.ts';
import type { PhotoMatch, PhotoRepository, StoredPhoto } from './photo-repository.ts';

/** The store's limit for one photo (the design: JPG/PNG up to 10 MB). */
export const maxPhotoBytes = 10 * 1024 * 1024;
/** Hashes this close (of 64 bits) are the same picture: re-encoded, resized, slightly cropped. */
const duplicateDistance = 6;

export type PhotoIntakeResult =
  | { ok: true; photo: StoredPhoto; matches: PhotoMatch[] }
  | { ok: false; reason: 'too_big' | 'not_image' | 'format' | 'download' };

/**
 * A photo from Telegram into the store: downloaded through getFile (the file URL holds the bot
 * token: it is never logged), decoded and checked by its content, hashed, stored as the original,
 * a cover and a thumbnail under a key made from its SHA-256 (the same photo gets the same URLs),
 * and compared with the photos of existing records.
 */
export function createPhotoIntake(deps: { api: Api; apiRoot: string; token: string; storage: PhotoStorage; photos: PhotoRepository }) {
  const download = async (fileId: string): Promise<Buffer | 'too_big' | null> => {
    const file = await deps.api.getFile({ file_id: fileId });
    if ((file.file_size ?? 0) > maxPhotoBytes) return 'too_big';
    if (!file.file_path) return null;
    const response = await fetch(`${deps.apiRoot}/file/bot${deps.token}/${file.file_path}`, { signal: AbortSignal.timeout(60_000) });
    if (!response.ok || !response.body) return null;
    const bytes = Buffer.from(await response.arrayBuffer());
    return bytes.length > maxPhotoBytes ? 'too_big' : bytes;
  };

  /** Stores bytes already in hand (also the benchmark's entry point). */
  const store = async (bytes: Buffer): Promise<PhotoIntakeResult> => {
    if (bytes.length > maxPhotoBytes) return { ok: false, reason: 'too_big' };
    let variants;
    try {
      variants = await makeImageVariants(bytes);
    } catch (error) {
      if (error instanceof ImageRejected) return { ok: false, reason: error.reason === 'format' ? 'format' : 'not_image' };
      throw error;
    }
    const key = createHash('sha256').update(bytes).digest('hex').slice(0, 32);
    const ext = variants.format === 'png' ? 'png' : 'jpg';
    const [original_url, cover_url, thumb_url] = await Promise.all([
      deps.storage.put(`${key}/original.${ext}`, bytes, `image/${variants.format}`),
      deps.storage.put(`${key}/cover.jpg`, variants.cover, 'image/jpeg'),
      deps.storage.put(`${key}/thumb.jpg`, variants.thumb, 'image/jpeg'),
    ]);
    const matches = await deps.photos.matches(variants.phash, duplicateDistance);
    return { ok: true, photo: { phash: variants.phash, original_url, cover_url, thumb_url }, matches };
  };

  return {
    store,
    /** `declaredSize` is Telegram's file_size: a file over the limit is not even downloaded. */
    async fromTelegram(fileId: string, declaredSize: number | undefined): Promise<PhotoIntakeResult> {
      if ((declaredSize ?? 0) > maxPhotoBytes) return { ok: false, reason: 'too_big' };
      let bytes;
      try {
        bytes = await download(fileId);
      } catch {
        return { ok: false, reason: 'download' };
      }
      if (bytes === 'too_big') return { ok: false, reason: 'too_big' };
      if (!bytes) return { ok: false, reason: 'download' };
      return store(bytes);
    },
  };
}
export type PhotoIntake = ReturnType<typeof createPhotoIntake>;
