import { createHash } from 'node:crypto';
import type { CatalogRepository } from './catalog-repository.ts';
import { demoCatalog } from './demo-catalog.ts';

/** A stable id per demo album, so two servers seeding one Supabase at once insert it once. */
function demoId(artist: string, title: string): string {
  const hex = createHash('sha1').update(`demo:${artist}:${title}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Loads the demo catalog when the catalog is empty; returns how many records it added. */
export async function seedDemoCatalog(catalog: CatalogRepository): Promise<number> {
  if ((await catalog.status()).records > 0) return 0;
  const now = Date.now();
  const albums = demoCatalog.map(({ demand = 0, ...album }, i) => ({
    record: { ...album, id: demoId(album.artist, album.title), created_at: new Date(now - i * 36 * 3600_000).toISOString() },
    demand,
  }));
  const { inserted } = await catalog.importRecords(albums.map((a) => a.record));
  // Demand is counted person by person, exactly as real customers are.
  for (const { record, demand } of albums) {
    for (let n = 1; n <= demand; n++) await catalog.registerInterest(record.id, `demo:${n}`);
  }
  return inserted;
}
