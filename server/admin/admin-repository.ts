import type { PublicRecord } from '../../shared/catalog-contract.ts';
import type { AdminCreateRecord, AdminNotifications, AdminSetStatus, AdminSetStatusResult, AdminStatistics } from '../../shared/demand-contract.ts';
import type { ProcurementTask, ProcurementTaskState } from '../../shared/procurement-task-contract.ts';
import type { Database } from '../db/database.ts';

/**
 * The SQL functions that change records, per caller: the audit trail names its actor from the
 * function called (supabase/migrations/20261203001100_bot_audit_actor.sql), so the bot's writes
 * go through bot_* and the admin API's through admin_*.
 */
const writers = {
  api: { create: 'admin_create_record', setStatus: 'admin_set_status' },
  bot: { create: 'bot_create_record', setStatus: 'bot_set_status' },
} as const;
export type AdminCaller = keyof typeof writers;

/** The admin's SQL functions as plain async methods, for the admin API or the bot. */
export function createAdminRepository(db: Database, caller: AdminCaller = 'api') {
  const fn = writers[caller];
  return {
    createRecord: (record: AdminCreateRecord) =>
      db.write<{
        record_id: string;
        number: number;
        status: string;
        ai_enrichment_queued: boolean;
        joined_request: boolean;
        possible_request?: { id: string; number: number; title: string; artist: string; waiting: number } | null;
      }>(fn.create, { p_record: record }),
    /** The record as the catalog shows it (deleted ones are null), for checks before a change. */
    record: (id: string) => db.read<PublicRecord | null>('catalog_get', { p_key: id }),
    setStatus: (id: string, change: AdminSetStatus) =>
      db.write<AdminSetStatusResult | null>(fn.setStatus, {
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
    /** Procurement tasks in these states, most waiting first. */
    procurementTasks: (states: readonly ProcurementTaskState[]) => db.read<ProcurementTask[]>('procurement_tasks_list', { p_states: states }),
    /** Null when the record is not and never was a procurement task. */
    procurementTask: (recordId: string) => db.read<ProcurementTask | null>('procurement_task_get', { p_record_id: recordId }),
    /** The state changes here, in the bot and in the sheet (its row follows through the outbox). */
    setProcurementTask: (recordId: string, state: ProcurementTaskState) =>
      db.write<ProcurementTask | null>('procurement_task_set', { p_record_id: recordId, p_state: state }),
  };
}
export type AdminRepository = ReturnType<typeof createAdminRepository>;
