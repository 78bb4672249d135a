import type { ActiveStatus } from '../../shared/record-status.ts';
import type { Database } from '../db/database.ts';

/** Who registers interest: a verified Telegram person ('tg:<id>') or unverified interest. */
export interface Participant {
  key: string;
  verified: boolean;
  chatId: number | null;
  contact: string | null;
  source: 'site' | 'telegram' | 'admin';
}

export interface RegisterResult {
  record_id: string;
  number: number;
  title: string;
  artist: string;
  record_status: ActiveStatus;
  participant_id: string;
  participant_status: string;
  verified: boolean;
  added: boolean;
  changed: boolean;
  created: boolean;
  became_procurement: boolean;
  preorder_count: number;
  verified_count: number;
  preorder_min: number;
}

/** Unverified interest in a title the catalog does not have (demand_pending). */
export interface PendingResult {
  pending: true;
  pending_id: string | null;
  added: boolean;
  verified: false;
  preorder_count: 0;
}

/** A limit that holds across addresses refused the request. */
export interface DemandRefusal {
  error: 'person_limit' | 'title_limit' | 'budget';
  kind?: string;
  limit?: number;
  retry_after_seconds: number;
}

export interface MyRequest {
  number: number;
  title: string;
  artist: string;
  record_status: ActiveStatus;
  status: string;
  since: string;
  offer: { code: string; price: number; expires_at: string } | null;
}

/** Demand's SQL functions (supabase/migrations/20261121002001_demand.sql) as plain async methods. */
export function createDemandRepository(db: Database) {
  return {
    /** Finds or creates the record by title/artist (or record_id), then counts the person once. */
    searchRequest: (input: { title: string; artist: string; recordId?: string | null }, who: Participant) =>
      db.write<RegisterResult | PendingResult | DemandRefusal>('demand_search_request', {
        p_title: input.title,
        p_artist: input.artist,
        p_record_id: input.recordId ?? null,
        p_participant: who.key,
        p_verified: who.verified,
        p_chat_id: who.chatId,
        p_contact: who.contact,
        p_source: who.source,
      }),

    /** Registers interest in a known record; null when there is no such record. */
    async register(recordId: string, who: Participant): Promise<RegisterResult | DemandRefusal | null> {
      const result = await db.write<RegisterResult | DemandRefusal | { error: 'not_found' }>('demand_register', {
        p_record_id: recordId,
        p_participant: who.key,
        p_verified: who.verified,
        p_chat_id: who.chatId,
        p_contact: who.contact,
        p_source: who.source,
      });
      if ('error' in result) return result.error === 'not_found' ? null : result;
      return { ...result, created: false };
    },

    /** The title of unverified interest kept without a record (the bot's req_ deep link). */
    pendingTitle: (pendingId: string) => db.read<{ title: string; artist: string } | null>('demand_pending_get', { p_id: pendingId }),
    /** Unverified interest in titles the catalog does not have, for the admin. */
    pendingTitles: () => db.read<Array<{ title: string; artist: string; count: number; contacts: string[]; first_at: string }>>('demand_pending_titles'),
    /** The admin's "this record is that request": its people move onto the record. */
    joinRequest: (recordId: string, requestId: string) =>
      db.write<{ result: 'joined' | 'not_found' | 'not_a_request'; moved?: number; number?: number; request_number?: number; title?: string; artist?: string; status?: string }>(
        'demand_join_request', { p_record_id: recordId, p_request_id: requestId }),

    stop: (chatId: number) => db.write<{ cancelled: number }>('demand_stop', { p_chat_id: chatId }),
    my: (chatId: number) => db.read<MyRequest[]>('demand_my', { p_chat_id: chatId }),
    markUnreachable: (chatId: number) => db.write<number>('demand_mark_unreachable', { p_chat_id: chatId }),

    /** Offer parameters and admin chats for the database's triggers. */
    configure: (settings: Record<string, unknown>) => db.write<Record<string, unknown>>('demand_configure', { p_settings: settings }),
    /** Queues the admin's batched message when the last one is older than the interval. */
    digest: (minIntervalSeconds: number) =>
      db.write<{ sent: boolean }>('admin_digest_enqueue', { p_min_interval_seconds: minIntervalSeconds }),
  };
}
export type DemandRepository = ReturnType<typeof createDemandRepository>;
