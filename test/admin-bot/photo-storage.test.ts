import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Api } from 'node-telegram-bot-api';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { hammingDistance, makeImageVariants } from '../../server/media/image-variants.ts';
import { createLocalPhotoStorage, createSupabasePhotoStorage } from '../../server/media/photo-storage.ts';
import { createPhotoIntake } from '../../server/telegram/admin/photos/photo-intake.ts';
import { createPhotoRepository } from '../../server/telegram/admin/photos/photo-repository.ts';
import { startSupabaseStorageEmulator, type SupabaseStorageEmulator } from '../emulators/supabase-storage/supabase-storage-emulator.ts';
import { pgliteDatabase, type TestDatabase } from '../support/databases.ts';
import { coverImage } from './admin-bot-kit.ts';

let storage: SupabaseStorageEmulator | undefined;
let database: TestDatabase | undefined;
let dir: string | undefined;
afterEach(async () => {
  await storage?.close();
  await database?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  storage = database = dir = undefined;
});

// The intake's Telegram side is not used by store(); its Api points nowhere.
const offlineApi = new Api('1:unused', { apiRoot: 'http://127.0.0.1:9', maxRetries: 0 });

describe('record photos', () => {
  it('go into a public Supabase Storage bucket (created on first use) with stable URLs, and a copy is found by its hash', async () => {
    storage = await startSupabaseStorageEmulator();
    database = await pgliteDatabase();
    const photos = createPhotoRepository(database.db);
    const intake = createPhotoIntake({
      api: offlineApi, apiRoot: 'http://127.0.0.1:9', token: '1:unused', photos,
      storage: createSupabasePhotoStorage({ url: storage.url, secretKey: storage.key, bucket: 'record-photos' }),
    });
    const first = await intake.store(await coverImage(70, 'png'));
    if (!first.ok) throw new Error(first.reason);
    expect(storage.buckets()).toMatchObject([{ id: 'record-photos', public: true }]);
    expect(first.photo.cover_url).toMatch(new RegExp(`^${storage.url}/storage/v1/object/public/record-photos/[0-9a-f]{32}/cover\\.jpg$`));
    const cover = await fetch(first.photo.cover_url);
    expect(cover.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await cover.arrayBuffer())).metadata();
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(1200);
    const thumb = await sharp(Buffer.from(await (await fetch(first.photo.thumb_url)).arrayBuffer())).metadata();
    expect(Math.max(thumb.width!, thumb.height!)).toBe(320);
    expect(first.matches).toEqual([]);

    const [record] = await database.sql<{ id: string }>(`insert into records (title, artist, status) values ('Blue', 'Joni Mitchell', 'search_request') returning id`);
    expect(await photos.add(record!.id, [first.photo])).toBe(1);
    // The same picture again (re-encoded): the same keys (upsert), and the record it belongs to.
    const again = await intake.store(await coverImage(70, 'jpeg'));
    if (!again.ok) throw new Error(again.reason);
    expect(again.matches[0]).toMatchObject({ title: 'Blue', artist: 'Joni Mitchell' });
    expect(again.matches[0]!.distance).toBeLessThanOrEqual(6);
    const other = await intake.store(await coverImage(250, 'jpeg'));
    if (!other.ok) throw new Error(other.reason);
    expect(other.matches).toEqual([]);
    expect(storage.calls().filter((c) => c === 'POST /bucket')).toHaveLength(1);
  });

  it('refuses a wrong key, and the local store refuses keys it did not make', async () => {
    storage = await startSupabaseStorageEmulator();
    const wrong = createSupabasePhotoStorage({ url: storage.url, secretKey: 'sb_secret_wrong', bucket: 'record-photos' });
    await expect(wrong.put('abcdef/cover.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/invalid signature/);
    dir = await mkdtemp(path.join(tmpdir(), 'photos-'));
    const local = createLocalPhotoStorage({ dir, publicBaseUrl: 'http://x.test' });
    await expect(local.put('../../etc/cover.jpg', Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/unsafe/);
    expect(await local.put('abcdef/cover.jpg', Buffer.from('x'), 'image/jpeg')).toBe('http://x.test/media/abcdef/cover.jpg');
  });

  it('decodes by content: a GIF or text is refused whatever it is called; different pictures differ by many bits', async () => {
    await expect(makeImageVariants(await sharp({ create: { width: 50, height: 50, channels: 3, background: '#f00' } }).gif().toBuffer())).rejects.toThrow(/format/);
    await expect(makeImageVariants(Buffer.from('not an image at all'))).rejects.toThrow(/not_image/);
    const [a, b] = await Promise.all([makeImageVariants(await coverImage(10)), makeImageVariants(await coverImage(200))]);
    expect(hammingDistance(a.phash, b.phash)).toBeGreaterThan(10);
  });
});
