import type { PublicRecord } from '../../shared/catalog-contract.ts';
import type { Database } from '../db/database.ts';
import { genreSlug } from '../../site/site-urls.ts';

/** A record as the website renders it: the public record with its full description and rank. */
export interface SiteRecord extends PublicRecord {
  priority: number;
}

interface SiteRecordsAnswer {
  as_of: string;
  records: Array<SiteRecord & { deleted: boolean }>;
}

export interface SiteGenre {
  name: string;
  slug: string;
  records: SiteRecord[];
  /** Its first five records on sale, in the catalog's order: the «similar records» of its pages. */
  onSale: SiteRecord[];
}

/** One consistent view of the public catalog, with the indexes the pages need. */
export interface SiteSnapshot {
  /** Every public record in the catalog's order (priority, then id), as GET /api/records. */
  records: SiteRecord[];
  byNumber: Map<number, SiteRecord>;
  genres: SiteGenre[];
  genreBySlug: Map<string, SiteGenre>;
  /** Newest change of any record (the home page's and the catalog's lastmod). */
  updatedAt: string;
}

/** What a refresh changed: each record whose public data differ, as it was and as it is (null: none / gone). */
export interface SiteChange {
  full: boolean;
  changes: Array<{ before: SiteRecord | null; after: SiteRecord | null }>;
}

// A write stamped just before our last read may commit just after it (Postgres stamps now() at
// transaction start); reading this far back again catches it, and unchanged rows are skipped.
const overlapMs = 5_000;

const byRank = (a: SiteRecord, b: SiteRecord) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** A genre's first records on sale, in rank order: what its record pages offer as similar. */
const firstOnSale = (records: SiteRecord[]) => {
  const onSale: SiteRecord[] = [];
  for (const r of records) if (r.status === 'available' && onSale.push(r) === 5) break;
  return onSale;
};

/** The snapshot of records already in the catalog's order (the export's render threads build their own). */
export function buildSnapshot(records: SiteRecord[]): SiteSnapshot {
  const byNumber = new Map<number, SiteRecord>();
  const genreBySlug = new Map<string, SiteGenre>();
  let updatedAt = '1970-01-01T00:00:00Z';
  for (const record of records) {
    byNumber.set(record.number, record);
    if (record.updated_at > updatedAt) updatedAt = record.updated_at;
    if (!record.genre) continue;
    const slug = genreSlug(record.genre);
    if (!slug) continue;
    let genre = genreBySlug.get(slug);
    if (!genre) genreBySlug.set(slug, (genre = { name: record.genre, slug, records: [], onSale: [] }));
    genre.records.push(record);
  }
  for (const genre of genreBySlug.values()) genre.onSale = firstOnSale(genre.records);
  const genres = [...genreBySlug.values()].sort((a, b) => b.records.length - a.records.length || a.name.localeCompare(b.name, 'ru'));
  return { records, byNumber, genres, genreBySlug, updatedAt };
}

/**
 * The snapshot after edits that moved no record (same ranks, same genres, none added or
 * removed): the old one with the edited records put in their places. The old snapshot is left
 * as it was (the exporter compares the lists it showed with the new ones).
 */
function patchSnapshot(old: SiteSnapshot, changes: Array<{ before: SiteRecord; after: SiteRecord }>): SiteSnapshot {
  const records = old.records.slice();
  const byNumber = new Map(old.byNumber);
  const genreBySlug = new Map(old.genreBySlug);
  let updatedAt = old.updatedAt;
  for (const { before, after } of changes) {
    records[records.indexOf(before)] = after;
    byNumber.set(after.number, after);
    if (after.updated_at > updatedAt) updatedAt = after.updated_at;
    const slug = after.genre ? genreSlug(after.genre) : '';
    const genre = slug ? genreBySlug.get(slug) : undefined;
    if (!genre) continue;
    const genreRecords = genre === old.genreBySlug.get(slug) ? genre.records.slice() : genre.records;
    genreRecords[genreRecords.indexOf(before)] = after;
    genreBySlug.set(slug, { ...genre, records: genreRecords, onSale: firstOnSale(genreRecords) });
  }
  const genres = old.genres.map((g) => genreBySlug.get(g.slug)!);
  return { records, byNumber, genres, genreBySlug, updatedAt };
}

/**
 * The website's copy of the catalog: loaded once, then brought up to date with only the rows
 * changed since (site_records(p_since)), so a sheet edit costs one small query and the pages
 * it touches. Loaded lazily: a server nobody browses never holds it.
 */
export function createSiteCatalog(deps: { db: Database }) {
  let byId = new Map<string, SiteRecord>();
  let snapshot: SiteSnapshot | null = null;
  let asOf: string | null = null;
  let pending: Promise<SiteChange> | null = null;

  const fetch = (since: string | null) => deps.db.read<SiteRecordsAnswer>('site_records', { p_since: since });

  async function reload(): Promise<SiteChange> {
    const answer = await fetch(null);
    byId = new Map(answer.records.map(({ deleted: _deleted, ...record }) => [record.id, record]));
    asOf = answer.as_of;
    // site_records leaves the order to us: sorting here is cheaper than in the query.
    snapshot = buildSnapshot([...byId.values()].sort(byRank));
    return { full: true, changes: snapshot.records.map((after) => ({ before: null, after })) };
  }

  async function update(): Promise<SiteChange> {
    const since = new Date(Date.parse(asOf!) - overlapMs).toISOString();
    const answer = await fetch(since);
    asOf = answer.as_of;
    const changes: SiteChange['changes'] = [];
    for (const { deleted, ...record } of answer.records) {
      const before = byId.get(record.id) ?? null;
      if (deleted) {
        if (before) {
          byId.delete(record.id);
          changes.push({ before, after: null });
        }
        continue;
      }
      if (before && JSON.stringify(before) === JSON.stringify(record)) continue;
      byId.set(record.id, record);
      changes.push({ before, after: record });
    }
    if (changes.length > 0) {
      // An edit that leaves every rank, genre and the set of records alone (a price, a
      // description) moves nothing: the records are put in their places instead of indexing
      // ten thousand again.
      const inPlace = changes.every(({ before, after }) => before && after && before.priority === after.priority && before.genre === after.genre && before.number === after.number);
      snapshot = inPlace ? patchSnapshot(snapshot!, changes as Array<{ before: SiteRecord; after: SiteRecord }>) : buildSnapshot([...byId.values()].sort(byRank));
    }
    return { full: false, changes };
  }

  /** One refresh at a time; callers arriving meanwhile share it. */
  const serialize = (run: () => Promise<SiteChange>) => {
    const next = (pending ?? Promise.resolve()).catch(() => undefined).then(run);
    pending = next.finally(() => {
      if (pending === next) pending = null;
    });
    return next;
  };

  return {
    /** Reads the whole catalog again (start, daily rebuild). */
    reload: () => serialize(reload),
    /** Brings the copy up to date; the first call loads it. */
    refresh: () => serialize(() => (snapshot ? update() : reload())),
    /** The current snapshot, loading it first if needed. */
    async current(): Promise<SiteSnapshot> {
      if (!snapshot) await serialize(() => (snapshot ? update() : reload()));
      return snapshot!;
    },
  };
}
export type SiteCatalog = ReturnType<typeof createSiteCatalog>;
