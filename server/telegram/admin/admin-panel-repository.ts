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

/** The admin panel's own SQL functions (supabase/migrations/20261202003000_admin_bot.sql). */
export function createAdminPanelRepository(db: Database) {
  return {
    analytics: (weeks: number) => db.read<AdminAnalytics>('admin_analytics', { p_weeks: weeks }),
    genres: (limit: number) => db.read<string[]>('catalog_genres', { p_limit: limit }),
    /** Price, condition, genre or year, as the admin's edit; the sheet's row follows through the outbox. */
    updateFields: (recordId: string, fields: Record<string, unknown>) =>
      db.write<Record<string, unknown> | null>('admin_update_fields', { p_id: recordId, p_fields: fields }),
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
