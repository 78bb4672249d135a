import type { OfferLookup, SendNotificationsResult } from '../../shared/demand-contract.ts';
import type { Database } from '../db/database.ts';

export interface ReserveResult {
  result: 'reserved' | 'already_yours' | 'unavailable' | 'not_found';
  title?: string;
  artist?: string;
  number?: number;
  status?: string;
  price?: number | null;
  original_price?: number | null;
  code?: string | null;
  reserved_until?: string;
}

export interface StoredTemplate {
  type: string;
  title: string;
  body: string;
  active: boolean;
}

/** Offers' SQL functions (supabase/migrations/20261121002002_offers.sql) as plain async methods. */
export function createOffersRepository(db: Database) {
  return {
    lookup: (code: string) => db.read<OfferLookup | null>('offers_lookup', { p_code: code }),

    /** Offers for the waiting participants of an available record (the arrival trigger does the same). */
    async createForRecord(recordId: string): Promise<SendNotificationsResult | { error: 'not_found' | 'not_available' | 'no_price'; status?: string }> {
      const r = await db.write<{ error?: 'not_found' | 'not_available' | 'no_price'; status?: string; recipients: number; offers_created: number; expires_at: string }>(
        'offers_create_for_record',
        { p_record_id: recordId },
      );
      if (r.error) return { error: r.error, status: r.status };
      return { status: r.offers_created > 0 ? 'sent' : 'nothing_to_send', recipients: r.recipients, offers_created: r.offers_created, expires_at: r.offers_created > 0 ? r.expires_at : null };
    },

    reserve: (recordKey: string, chatId: number, contact: string | null) =>
      db.write<ReserveResult>('offers_reserve', { p_record_key: recordKey, p_chat_id: chatId, p_contact: contact }),

    expireDue: () => db.write<{ offers_expired: number; reservations_expired: number }>('offers_expire_due'),

    template: (type: string) => db.read<StoredTemplate | null>('templates_get', { p_type: type }),
    /** Настройки_уведомлений rows (the sheet sync calls this with the whole worksheet). */
    upsertTemplates: (templates: Array<Omit<StoredTemplate, 'active'> & { active?: boolean }>) =>
      db.write<{ templates: number }>('templates_upsert', { p_templates: templates }),
  };
}
export type OffersRepository = ReturnType<typeof createOffersRepository>;
