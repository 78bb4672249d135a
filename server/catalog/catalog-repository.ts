import type { PublicRecord, RecordPage, RecordsQuery } from '../../shared/catalog-contract.ts';
import type { RecordFieldValues } from '../../shared/record-fields.ts';
import type { ActiveStatus } from '../../shared/record-status.ts';
import type { Database } from '../db/database.ts';

/**
 * A record as the catalog imports it (sheet, admin, demo data, benchmarks): its fields
 * (shared/record-fields.ts), plus the server columns an import may carry over. records_import
 * refuses any other key.
 */
export type NewRecord = Partial<Omit<RecordFieldValues, 'status'>> &
  Pick<RecordFieldValues, 'title' | 'artist'> & {
    status?: ActiveStatus;
    id?: string;
    preorder_count?: number;
    last_interest_at?: string | null;
    created_at?: string;
  };

/** The catalog's SQL functions as plain async methods. */
export function createCatalogRepository(db: Database) {
  return {
    search: (q: RecordsQuery) =>
      db.read<RecordPage>('catalog_search', {
        p_search: q.search || null,
        p_genre: q.genre ?? null,
        p_year_min: q.year_min ?? null,
        p_year_max: q.year_max ?? null,
        p_price_min: q.price_min ?? null,
        p_price_max: q.price_max ?? null,
        p_statuses: q.status,
        p_limit: q.limit,
        p_offset: q.offset,
      }),

    /** By uuid or short number; null when there is none or it is deleted. */
    get: (key: string) => db.read<PublicRecord | null>('catalog_get', { p_key: key }),

    importRecords: (records: NewRecord[], source: 'admin' | 'ai' | 'system' = 'admin') =>
      db.write<{ inserted: number }>('records_import', { p_records: records, p_source: source }),

    softDelete: (id: string) => db.write<boolean>('records_soft_delete', { p_id: id }),

    registerInterest: (recordId: string, participant: string) =>
      db.write<{ record_id: string; added: boolean; preorder_count: number }>('record_register_interest', {
        p_record_id: recordId,
        p_participant: participant,
      }),

    status: () => db.read<{ schema_version: string; records: number }>('app_status'),
  };
}
export type CatalogRepository = ReturnType<typeof createCatalogRepository>;
