import type { Database } from '../../../db/database.ts';

export interface StoredPhoto {
  phash: string;
  original_url: string;
  cover_url: string;
  thumb_url: string;
}
export interface PhotoMatch {
  record_id: string;
  number: number;
  title: string;
  artist: string;
  thumb_url: string;
  cover_url: string;
  distance: number;
}

/** Record photos and their hashes (supabase/migrations/20261202003000_admin_bot.sql). */
export function createPhotoRepository(db: Database) {
  return {
    /** Photos of live records within `maxDistance` bits, nearest first. */
    matches: (phash: string, maxDistance: number) => db.read<PhotoMatch[]>('record_photo_matches', { p_hash: phash, p_max_distance: maxDistance }),
    add: (recordId: string, photos: StoredPhoto[]) => db.write<number>('record_photos_add', { p_record_id: recordId, p_photos: photos }),
  };
}
export type PhotoRepository = ReturnType<typeof createPhotoRepository>;
