import type { Database } from '../../db/database.ts';
import type { AdminAnalytics } from './analytics/analytics-charts.ts';

export interface EnrichmentFinished {
  chat_id: number;
  record_id: string;
  number: number;
  title: string;
  artist: string;
  state: 'done' | 'failed' | 'queued' | 'running' | null;
  description: string | null;
  label: string | null;
  country: string | null;
}

export interface NotificationTemplate {
  type: string;
  title: string;
  body: string;
  active: boolean;
  updated_at: string;
}

/** The admin panel's own SQL functions (supabase/migrations/20261202003000_admin_bot.sql). */
export function createAdminPanelRepository(db: Database) {
  return {
    analytics: (weeks: number) => db.read<AdminAnalytics>('admin_analytics', { p_weeks: weeks }),
    templates: () => db.read<NotificationTemplate[]>('templates_list'),
    /** Text and/or on-off (null keeps it); the worksheet's row follows through the outbox. Null when the type is gone. */
    saveTemplate: (type: string, body: string | null, active: boolean | null) =>
      db.write<NotificationTemplate | null>('template_save', { p_type: type, p_body: body, p_active: active }),
    genres: (limit: number) => db.read<string[]>('catalog_genres', { p_limit: limit }),
    /** Price, condition, genre or year, as the admin's edit (audited as the bot's); the sheet's row follows through the outbox. */
    updateFields: (recordId: string, fields: Record<string, unknown>) =>
      db.write<Record<string, unknown> | null>('bot_update_fields', { p_id: recordId, p_fields: fields }),
    watchEnrichment: (recordId: string, chatId: number) =>
      db.read<void>('admin_enrichment_watch', { p_record_id: recordId, p_chat_id: chatId }),
    /**
     * Taken out once each. Through read(), like the AI queue's claims: the watches change no
     * cached response, and a write() would wake the AI worker every poll.
     */
    finishedEnrichments: () => db.read<EnrichmentFinished[]>('admin_enrichment_finished'),
  };
}
export type AdminPanelRepository = ReturnType<typeof createAdminPanelRepository>;
