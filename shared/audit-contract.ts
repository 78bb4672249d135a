import { z } from 'zod';

/**
 * The audit trail of records: every change of a field, old → new, by whom. Kept when the record is
 * deleted. Written by a database trigger (supabase/migrations/*_record_audit.sql), which names the
 * actor from the SQL function that made the change.
 */
export const auditActors = ['sheet', 'bot', 'admin', 'ai', 'customer', 'system'] as const;
export type AuditActor = (typeof auditActors)[number];

/** Russian names for the bot's record card. 'admin' is the admin API (and, before the bot had its own, the bot too). */
export const auditActorLabels: Record<AuditActor, string> = {
  sheet: 'таблица',
  bot: 'бот',
  admin: 'админ-API',
  ai: 'ИИ',
  customer: 'покупатель',
  system: 'система',
};

export const recordChangeSchema = z
  .object({
    id: z.number().int(),
    field: z.string().describe('A column of the record; "(created)" and "(deleted)" for the whole record'),
    old_value: z.unknown().describe('JSON value before, null when there was none'),
    new_value: z.unknown().describe('JSON value after'),
    actor: z.enum(auditActors).describe('sheet, bot, admin (the admin API), ai, customer or system'),
    via: z.string().nullable().describe('The SQL function that made the change'),
    changed_at: z.string().describe('ISO 8601 time'),
  })
  .meta({ id: 'RecordChange' });
export type RecordChange = z.infer<typeof recordChangeSchema>;

export const recordHistorySchema = z
  .object({ record_id: z.uuid(), changes: z.array(recordChangeSchema).describe('Newest first') })
  .meta({ id: 'RecordHistory' });
export type RecordHistory = z.infer<typeof recordHistorySchema>;

