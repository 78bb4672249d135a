import type { RecordHistory } from '../../shared/audit-contract.ts';
import type { Database } from '../db/database.ts';

/**
 * The records' audit trail (supabase/migrations/20261202005000_record_audit.sql): the admin API's
 * GET /api/admin/records/:id/history and the bot's record card read it here.
 */
export function createAuditRepository(db: Database) {
  return {
    /** Changes of one record, newest first; kept after the record is deleted. */
    recordHistory: (recordId: string, limit = 200) => db.read<RecordHistory>('record_history', { p_record_id: recordId, p_limit: limit }),
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;
