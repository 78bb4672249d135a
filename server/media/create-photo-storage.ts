import type { Config } from '../config.ts';
import { createLocalPhotoStorage, createSupabasePhotoStorage, type PhotoStorage } from './photo-storage.ts';

/** Photos live next to the data: the embedded default keeps them on disk, Supabase in its Storage. */
export function createPhotoStorage(config: Config): PhotoStorage {
  if (config.database.kind === 'supabase') {
    return createSupabasePhotoStorage({ url: config.database.url, secretKey: config.database.serviceRoleKey, bucket: config.media.bucket });
  }
  return createLocalPhotoStorage({ dir: config.media.dir, publicBaseUrl: config.media.publicBaseUrl });
}
