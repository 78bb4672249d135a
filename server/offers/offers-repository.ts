import type { OfferLookup, SendNotificationsResult } from '../../shared/demand-contract.ts';
import type { Database } from '../db/database.ts';

/**
 * What reserving a record does for one person (offers_reserve) or would do (offers_reserve_preview):
 * can_reserve (preview only), reserved, already_yours, or why not.
 */
export interface ReserveResult {
  /** offer_paused: the copy is held by another person's reservation; this person's offer waits for it. */
  result: 'can_reserve' | 'reserved' | 'already_yours' | 'offer_paused' | 'unavailable' | 'no_price' | 'exclusive' | 'limit' | 'not_found';
  record_id?: string;
  title?: string;
  artist?: string;
  number?: number;
  status?: string;
  price?: number | null;
  original_price?: number | null;
  code?: string | null;
  reservation_id?: string;
  reserved_until?: string;
  reservation_days?: number;
  exclusive_until?: string;
  limit?: number;
}

/** An active reservation as /my and the admin's list show it. */
export interface ActiveReservation {
  reservation_id: string;
  number: number;
  title: string;
  artist: string;
  price: number | null;
  reserved_until: string;
  chat_id?: number;
  contact?: string | null;
}

export interface EndReservationResult {
  result: 'cancelled' | 'closed' | 'not_found';
  number?: number;
  title?: string;
  artist?: string;
  chat_id?: number;
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

    /** What the confirm button would do; reserves nothing. */
    previewReservation: (recordKey: string, chatId: number) =>
      db.read<ReserveResult>('offers_reserve_preview', { p_record_key: recordKey, p_chat_id: chatId }),
    /** Reserves under every rule (window, limit, price, one copy), atomically. */
    reserve: (recordKey: string, chatId: number, contact: string | null) =>
      db.write<ReserveResult>('offers_reserve', { p_record_key: recordKey, p_chat_id: chatId, p_contact: contact }),
    /** The customer's own cancel (chatId given) or the admin's (chatId null). */
    endReservation: (reservationId: string, chatId: number | null, by: 'customer' | 'admin') =>
      db.write<EndReservationResult>('reservation_end', { p_reservation_id: reservationId, p_chat_id: chatId, p_by: by }),
    myReservations: (chatId: number) => db.read<ActiveReservation[]>('reservations_my', { p_chat_id: chatId }),
    activeReservations: (limit = 50) => db.read<ActiveReservation[]>('reservations_active', { p_limit: limit }),

    expireDue: () => db.write<{ offers_expired: number; reservations_expired: number }>('offers_expire_due'),

    template: (type: string) => db.read<StoredTemplate | null>('templates_get', { p_type: type }),
    /** Настройки_уведомлений rows (the sheet sync calls this with the whole worksheet). */
    upsertTemplates: (templates: Array<Omit<StoredTemplate, 'active'> & { active?: boolean }>) =>
      db.write<{ templates: number }>('templates_upsert', { p_templates: templates }),
  };
}
export type OffersRepository = ReturnType<typeof createOffersRepository>;
