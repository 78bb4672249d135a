import { z } from 'zod';
import { recordKeySchema } from './catalog-contract.ts';
import { apiFieldMessages, recordFieldSchema, recordFieldsSchema } from './record-field-schemas.ts';
import type { ProcurementTaskState } from './procurement-task-contract.ts';
import { activeStatusSchema, type ActiveStatus } from './record-status.ts';
import { normalizeText } from './text-normalize.ts';

/**
 * Contracts of demand aggregation and pre-order offers: the public search-request and offer
 * endpoints and the admin API (bearer ADMIN_API_TOKEN). See docs/demand-and-offers.md.
 */

/** Short one-line text (identifiers, contacts), normalised like every stored text. */
const text = (max: number) => z.string().transform((v) => normalizeText(v)).pipe(z.string().min(1, 'required').max(max));
const apiField = { input: 'json', messages: apiFieldMessages } as const;

/*
 * Numbers in JSON bodies are JSON numbers: "5000", true, null, "" and [] are refused with the
 * field named (z.coerce.number made `true` a price of 1 and `""` a sale at 0 ₽).
 */

/**
 * Data the Telegram Login Widget hands the page (https://core.telegram.org/widgets/login).
 * Every field Telegram sent is kept, known or not: the hash signs all of them
 * (https://core.telegram.org/widgets/login#checking-authorization), so dropping a field Telegram
 * adds one day would make every login fail, and a field nobody signed makes the check fail.
 */
export const telegramLoginSchema = z
  .object({
    id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    first_name: z.string().max(256).optional(),
    last_name: z.string().max(256).optional(),
    username: z.string().max(64).optional(),
    photo_url: z.string().max(1024).optional(),
    auth_date: z.number().int().positive(),
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex characters'),
  })
  .catchall(z.union([z.string().max(1024), z.number(), z.boolean()], { error: 'expected a text, number or true/false as Telegram sends' }))
  .refine((login) => Object.keys(login).length <= 32, { message: 'more fields than Telegram sends' });
export type TelegramLogin = z.infer<typeof telegramLoginSchema>;

/** POST /api/search-requests. Who asks: a verified Telegram login, or an unverified session/contact. */
export const searchRequestSchema = z
  .object({
    // What the customer asks for becomes a record's title and artist: the record's own rules.
    title: recordFieldSchema('title', apiField) as z.ZodType<string>,
    artist: recordFieldSchema('artist', apiField) as z.ZodType<string>,
    customer_id: text(100).optional(),
    contact: text(200).optional(),
    record_id: z.uuid().optional(),
    telegram_auth: telegramLoginSchema.optional(),
  })
  .refine((r) => r.customer_id !== undefined || r.contact !== undefined || r.telegram_auth !== undefined, {
    path: ['customer_id'],
    message: 'give customer_id, contact or telegram_auth so the request can be counted once per person',
  });
export type SearchRequest = z.infer<typeof searchRequestSchema>;

export interface SearchRequestResult {
  /**
   * created: a new record was started; added: joined an existing one; already_registered: counted
   * before; pending: unverified interest in a title the catalog does not have, kept for the admin
   * (no record yet: record_id, record_number and record_status are null).
   */
  status: 'created' | 'added' | 'already_registered' | 'pending';
  record_id: string | null;
  record_number: number | null;
  record_status: ActiveStatus | null;
  message: string;
  pre_order_count: number;
  verified: boolean;
  /** Deep link that ties the request to a Telegram chat (present when the bot's username is known). */
  telegram_link: string | null;
}

/** Offer codes look like PRE-123-K7F3Q9XM2A. */
export const offerCodeSchema = z.string().trim().toUpperCase().regex(/^PRE-\d{1,9}-[A-Z2-9]{10}$/, 'not an offer code');
export const offerParamsSchema = z.object({ code: offerCodeSchema });

/** GET /api/offers/:code: the code's validity and price only. */
export interface OfferLookup {
  code: string;
  valid: boolean;
  status: 'notified' | 'converted' | 'expired' | 'cancelled';
  record: { id: string; number: number; slug: string; title: string; artist: string; status: ActiveStatus };
  original_price: number;
  price: number;
  discount_percent: number;
  expires_at: string;
}

/**
 * POST /api/admin/records: every field of the record (shared/record-fields.ts), with the sheet's
 * rules, so a record made here is a valid sheet row. Status defaults to available, which needs
 * genre, condition and price.
 */
export const adminCreateRecordSchema = recordFieldsSchema(apiField);
export type AdminCreateRecord = z.infer<typeof adminCreateRecordSchema>;

export interface AdminCreateRecordResult {
  /** joined_request: the title was a customers' request, which became this record (its waiting customers stay on it). */
  status: 'created' | 'joined_request';
  record_id: string;
  row_number: number;
  ai_enrichment_queued: boolean;
  /** A customers' request that only loosely matches: the admin decides (POST /api/admin/records/:id/join-request). */
  possible_request?: { id: string; number: number; title: string; artist: string; waiting: number } | null;
}

/** POST /api/admin/records/:id/join-request: the request (by its record number) whose customers move onto this record. */
export const adminJoinRequestSchema = z.object({
  request_number: z.number({ error: 'expected the request record\'s number' }).int().positive(),
});

/** Admin URLs take the record's uuid or its number, like the public ones. */
export const recordIdParamsSchema = z.object({ id: recordKeySchema });
export const adminRecordIdParamsSchema = z.object({ record_id: recordKeySchema });

/** PATCH /api/admin/records/:id/status. price_paid records a sale at a price other than the list price. */
export const adminSetStatusSchema = z.object({
  status: activeStatusSchema,
  trigger_notifications: z.boolean().default(true),
  price_paid: (recordFieldSchema('price', apiField) as z.ZodType<number | undefined>).optional(),
});
export type AdminSetStatus = z.infer<typeof adminSetStatusSchema>;

export interface AdminSetStatusResult {
  status: 'updated';
  previous_status: ActiveStatus;
  record_status: ActiveStatus;
  /** Offer messages queued by this change (the delivery worker sends them within seconds). */
  notifications_sent: number;
  special_offers_created: number;
}

export interface SendNotificationsResult {
  status: 'sent' | 'nothing_to_send';
  recipients: number;
  offers_created: number;
  expires_at: string | null;
}

export interface AdminNotifications {
  /** Pending tasks (new or in work); task_id is null for a task nobody has touched yet. */
  procurement_tasks: Array<{ record_id: string; number: number; title: string; artist: string; demand_count: number; total_demand: number; created_at: string; task_id: string | null; state: ProcurementTaskState }>;
  pre_order_alerts_ready: Array<{ record_id: string; number: number; title: string; artist: string; participant_count: number }>;
  failed_deliveries: Array<{ id: number; kind: string; chat_id: number; record_id: string | null; attempts: number; error: string | null; created_at: string }>;
  unreachable: Array<{ participant: string; chat_id: number | null; contact: string | null; record_id: string; title: string; artist: string }>;
  unverified_interest: Array<{ record_id: string; number: number; title: string; artist: string; count: number; contacts: string[] }>;
  /** Unverified interest in titles the catalog does not have (no record until verified or created by the admin). */
  unverified_titles: Array<{ title: string; artist: string; count: number; contacts: string[]; first_at: string }>;
}

export interface AdminStatistics {
  inventory: { available: number; reserved: number; procurement_tasks: number; search_requests: number; sold_this_month: number };
  revenue: { this_week: number; this_month: number; average_check: number };
  engagement: { active_pre_orders: number; offers_sent: number; conversion_rate: number; top_genre: string | null };
  hot_requests: Array<{ record_id: string; artist: string; title: string; demand: number; total_demand: number; status: ActiveStatus }>;
}
