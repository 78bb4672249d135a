import type { PublicRecord } from '../../shared/catalog-contract.ts';
import type { AdminCreateRecord, AdminNotifications, AdminSetStatus, AdminSetStatusResult, AdminStatistics } from '../../shared/demand-contract.ts';
import type { Database } from '../db/database.ts';

/** The admin API's SQL functions as plain async methods. */
export function createAdminRepository(db: Database) {
  return {
    createRecord: (record: AdminCreateRecord) =>
      db.write<{
        record_id: string;
        number: number;
        status: string;
        ai_enrichment_queued: boolean;
        joined_request: boolean;
        possible_request?: { id: string; number: number; title: string; artist: string; waiting: number } | null;
      }>('admin_create_record', { p_record: record }),
    /** The record as the catalog shows it (deleted ones are null), for checks before a change. */
    record: (id: string) => db.read<PublicRecord | null>('catalog_get', { p_key: id }),
    setStatus: (id: string, change: AdminSetStatus) =>
      db.write<AdminSetStatusResult | null>('admin_set_status', {
        p_id: id,
        p_status: change.status,
        p_trigger_notifications: change.trigger_notifications,
        p_price_paid: change.price_paid ?? null,
      }),
    async notifications(): Promise<AdminNotifications> {
      const [notes, titles] = await Promise.all([
        db.read<Omit<AdminNotifications, 'unverified_titles'>>('admin_notifications'),
        db.read<AdminNotifications['unverified_titles']>('demand_pending_titles'),
      ]);
      return { ...notes, unverified_titles: titles };
    },
    statistics: () => db.read<AdminStatistics>('admin_statistics'),
  };
}
export type AdminRepository = ReturnType<typeof createAdminRepository>;
