import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { NoRealtime } from '../db/supabase-transport.ts';

/** Where record photos live: put() stores bytes under a key and returns the stable public URL. */
export interface PhotoStorage {
  kind: 'local' | 'supabase';
  put(key: string, bytes: Buffer, contentType: string): Promise<string>;
}

/** Keys are made by the server (hash/name.ext): anything else is refused before touching a path. */
const safeKey = /^[a-z0-9]{2,64}(\/[a-z0-9-]{1,64})*\.(jpg|png)$/;
function checkKey(key: string): string {
  if (!safeKey.test(key)) throw new Error(`unsafe photo key: ${key}`);
  return key;
}

/** The embedded default: files under DATA_DIR/media, served by express at /media (create-server.ts). */
export function createLocalPhotoStorage(deps: { dir: string; publicBaseUrl: string }): PhotoStorage {
  return {
    kind: 'local',
    async put(key, bytes) {
      const file = path.join(deps.dir, checkKey(key));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, bytes);
      return `${deps.publicBaseUrl}/media/${key}`;
    },
  };
}

/**
 * Production: a public Supabase Storage bucket through supabase-js's storage client
 * (https://supabase.com/docs/reference/javascript/storage-from-upload). The bucket is created
 * public on first use when missing; keys are content hashes, so an upload is idempotent (upsert).
 */
export function createSupabasePhotoStorage(deps: { url: string; secretKey: string; bucket: string; fetch?: typeof fetch }): PhotoStorage {
  const client = createClient(deps.url, deps.secretKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: NoRealtime as never },
    global: deps.fetch ? { fetch: deps.fetch } : undefined,
  });
  let bucketReady: Promise<void> | null = null;
  const ensureBucket = () =>
    (bucketReady ??= (async () => {
      const { error } = await client.storage.getBucket(deps.bucket);
      if (!error) return;
      const created = await client.storage.createBucket(deps.bucket, { public: true });
      // Another instance may have created it meanwhile.
      if (created.error && !/exist/i.test(created.error.message)) throw new Error(`storage bucket ${deps.bucket}: ${created.error.message}`);
    })().catch((error: unknown) => {
      bucketReady = null;
      throw error;
    }));
  return {
    kind: 'supabase',
    async put(key, bytes, contentType) {
      await ensureBucket();
      const bucket = client.storage.from(deps.bucket);
      const { error } = await bucket.upload(checkKey(key), bytes, { contentType, upsert: true, cacheControl: '31536000' });
      if (error) throw new Error(`storage upload failed: ${error.message}`);
      return bucket.getPublicUrl(key).data.publicUrl;
    },
  };
}
