import { z } from 'zod';
import type { EnrichResponse } from './ai-contract.ts';
import type { ApiErrorBody, PublicRecord, RecordPage } from './catalog-contract.ts';
import type {
  AdminCreateRecordResult,
  AdminNotifications,
  AdminSetStatusResult,
  AdminStatistics,
  OfferLookup,
  SearchRequestResult,
  SendNotificationsResult,
} from './demand-contract.ts';
import { procurementTaskStateSchema } from './procurement-task-contract.ts';
import { activeStatusSchema, RecordStatus } from './record-status.ts';
import type { EnrichJobProgress, SendOffersResult } from './sheet-actions-contract.ts';
import type { OutboxOp, OwnedValues, PullResponse, PushResponse, ReconcileResponse, SheetStatusResponse, SyncLogEntry } from './sheet-sync-contract.ts';

/**
 * Response bodies as zod schemas, for the OpenAPI document (server/openapi) and the tests that
 * check every response against it. The TypeScript interfaces in the feature contracts stay the
 * types the code uses; the `Same` checks at the bottom make the compiler refuse a schema that
 * drifts from its interface, so the shape is still said once.
 */

const isoTime = z.string().describe('ISO 8601 time');
const uuid = z.uuid();
const nullableText = z.string().nullable();
const anyStatus = z.enum(Object.values(RecordStatus) as [RecordStatus, ...RecordStatus[]]);

export const apiErrorSchema = z
  .object({
    error: z.string().describe('What went wrong, in English'),
    details: z.array(z.object({ field: z.string(), message: z.string() })).optional().describe('Which input was wrong and why'),
  })
  .meta({ id: 'ApiError' });

export const publicRecordSchema = z
  .object({
    id: uuid,
    number: z.number().int(),
    slug: z.string(),
    title: z.string(),
    artist: z.string(),
    genre: nullableText,
    year: z.number().int().nullable(),
    label: nullableText,
    country: nullableText,
    condition: nullableText,
    price: z.number().nullable(),
    image_url: nullableText,
    status: anyStatus,
    description: nullableText.describe('The whole text for one record; an excerpt in lists'),
    seo_title: nullableText,
    seo_description: nullableText,
    seo_keywords: nullableText,
    preorder: z.object({ minimum: z.number().int(), count: z.number().int(), last_interest_at: isoTime.nullable() }),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .meta({ id: 'PublicRecord' });

export const recordPageSchema = z
  .object({
    total: z.number().int().describe('Exact up to 4000 matches; an estimate beyond'),
    total_exact: z.boolean(),
    records: z.array(publicRecordSchema),
  })
  .meta({ id: 'RecordPage' });

export const searchRequestResultSchema = z
  .object({
    status: z.enum(['created', 'added', 'already_registered', 'pending']),
    record_id: uuid.nullable().describe('null while the interest is pending (unverified, no record yet)'),
    record_number: z.number().int().nullable(),
    record_status: activeStatusSchema.nullable(),
    message: z.string().describe('Russian text for the customer'),
    pre_order_count: z.number().int(),
    verified: z.boolean(),
    telegram_link: nullableText,
  })
  .meta({ id: 'SearchRequestResult' });

export const offerLookupSchema = z
  .object({
    code: z.string(),
    valid: z.boolean(),
    status: z.enum(['notified', 'converted', 'expired', 'cancelled']),
    record: z.object({ id: uuid, number: z.number().int(), slug: z.string(), title: z.string(), artist: z.string(), status: activeStatusSchema }),
    original_price: z.number(),
    price: z.number(),
    discount_percent: z.number(),
    expires_at: isoTime,
  })
  .meta({ id: 'OfferLookup' });

export const adminCreateRecordResultSchema = z
  .object({
    status: z.enum(['created', 'joined_request']).describe('joined_request: the title was a customers’ request, which became this record'),
    record_id: uuid,
    row_number: z.number().int(),
    ai_enrichment_queued: z.boolean(),
    possible_request: z
      .object({ id: uuid, number: z.number().int(), title: z.string(), artist: z.string(), waiting: z.number().int() })
      .nullable()
      .optional()
      .describe('A customers’ request that only loosely matches: the admin decides (POST /api/admin/records/{id}/join-request)'),
  })
  .meta({ id: 'AdminCreateRecordResult' });

export const joinRequestResultSchema = z
  .object({
    result: z.literal('joined'),
    moved: z.number().int().describe('customers moved onto the record'),
    number: z.number().int(),
    request_number: z.number().int(),
    title: z.string(),
    artist: z.string(),
  })
  .meta({ id: 'JoinRequestResult' });

export const adminSetStatusResultSchema = z
  .object({
    status: z.literal('updated'),
    previous_status: activeStatusSchema,
    record_status: activeStatusSchema,
    notifications_sent: z.number().int(),
    special_offers_created: z.number().int(),
  })
  .meta({ id: 'AdminSetStatusResult' });

export const sendNotificationsResultSchema = z
  .object({
    status: z.enum(['sent', 'nothing_to_send']),
    recipients: z.number().int(),
    offers_created: z.number().int(),
    expires_at: isoTime.nullable(),
  })
  .meta({ id: 'SendNotificationsResult' });

const recordRef = { record_id: uuid, number: z.number().int(), title: z.string(), artist: z.string() };
export const adminNotificationsSchema = z
  .object({
    procurement_tasks: z.array(
      z.object({
        ...recordRef,
        demand_count: z.number().int(),
        total_demand: z.number().int(),
        created_at: isoTime,
        task_id: uuid.nullable(),
        state: procurementTaskStateSchema.describe('new or in_work: done and dismissed tasks are not listed here'),
      }),
    ),
    pre_order_alerts_ready: z.array(z.object({ ...recordRef, participant_count: z.number().int() })),
    failed_deliveries: z.array(
      z.object({
        id: z.number().int(),
        kind: z.string(),
        chat_id: z.number().int(),
        record_id: uuid.nullable(),
        attempts: z.number().int(),
        error: nullableText,
        created_at: isoTime,
      }),
    ),
    unreachable: z.array(
      z.object({ participant: z.string(), chat_id: z.number().int().nullable(), contact: nullableText, record_id: uuid, title: z.string(), artist: z.string() }),
    ),
    unverified_interest: z.array(z.object({ ...recordRef, count: z.number().int(), contacts: z.array(z.string()) })),
    unverified_titles: z.array(z.object({ title: z.string(), artist: z.string(), count: z.number().int(), contacts: z.array(z.string()), first_at: isoTime })),
  })
  .meta({ id: 'AdminNotifications' });

export const adminStatisticsSchema = z
  .object({
    inventory: z.object({
      available: z.number().int(),
      reserved: z.number().int(),
      procurement_tasks: z.number().int(),
      search_requests: z.number().int(),
      sold_this_month: z.number().int(),
    }),
    revenue: z.object({ this_week: z.number(), this_month: z.number(), average_check: z.number() }),
    engagement: z.object({ active_pre_orders: z.number().int(), offers_sent: z.number().int(), conversion_rate: z.number(), top_genre: nullableText }),
    hot_requests: z.array(
      z.object({ record_id: uuid, artist: z.string(), title: z.string(), demand: z.number().int(), total_demand: z.number().int(), status: activeStatusSchema }),
    ),
  })
  .meta({ id: 'AdminStatistics' });

const enrichableFieldSchema = z.enum(['label', 'country', 'description', 'seo_title', 'seo_description', 'seo_keywords']);
export const enrichResponseSchema = z
  .object({
    status: z.enum(['completed', 'skipped']),
    enriched_fields: z.array(enrichableFieldSchema),
    llm_provider: z.string(),
    fallback_used: z.boolean(),
    processing_time_ms: z.number(),
    stages: z.object({ facts: z.string(), description: z.string(), seo: z.string() }),
  })
  .meta({ id: 'EnrichResponse' });

export const enrichBatchStartedSchema = z.object({ job_id: uuid, total: z.number().int() }).meta({ id: 'EnrichBatchStarted' });
export const enrichJobProgressSchema = z
  .object({ job_id: uuid, status: z.enum(['queued', 'running', 'done']), total: z.number().int(), done: z.number().int(), failed: z.number().int() })
  .meta({ id: 'EnrichJobProgress' });
export const sendOffersResultSchema = z.object({ recipients: z.number().int(), offers_created: z.number().int() }).meta({ id: 'SendOffersResult' });

const outboxOpSchema = z
  .object({
    id: z.number().int(),
    op: z.enum(['append_row', 'set_fields']),
    sheet: z.string(),
    record_id: uuid.nullable(),
    payload: z.object({
      values: z.record(z.string(), z.unknown()).optional(),
      fields: z.record(z.string(), z.unknown()).optional(),
      notes: z.record(z.string(), z.string().nullable()).optional(),
    }),
  })
  .meta({ id: 'OutboxOp' });
const ownedValuesSchema = z.object({ id: uuid, preorder_count: z.number().int(), participants: z.string(), last_interest_at: isoTime.nullable() });
const syncLogEntrySchema = z.object({
  at: isoTime,
  kind: z.string(),
  rows_in: z.number().int(),
  rows_out: z.number().int(),
  errors: z.number().int(),
  duration_ms: z.number(),
});

export const pushResponseSchema = z
  .object({
    accepted: z.number().int(),
    rejected: z.array(z.object({ id: z.string(), errors: z.record(z.string(), z.string()) })),
    owned: z.array(ownedValuesSchema),
    ops: z.array(outboxOpSchema),
  })
  .meta({ id: 'PushResponse' });
export const reconcileResponseSchema = z.object({ need: z.array(uuid), deleted: z.number().int(), ops: z.array(outboxOpSchema) }).meta({ id: 'ReconcileResponse' });
export const pullResponseSchema = z.object({ ops: z.array(outboxOpSchema) }).meta({ id: 'PullResponse' });
export const ackResponseSchema = z.object({ acked: z.number().int() });
export const templatesResponseSchema = z.object({ templates: z.number().int(), acked: z.number().int() });
export const sheetStatusResponseSchema = z
  .object({ ok: z.literal(true), server_time: isoTime, waiting_ops: z.number().int(), last_sync: syncLogEntrySchema.nullable() })
  .meta({ id: 'SheetStatusResponse' });

/** True when A and B are each assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(ok: Same<A, B>) => ok;
// Compile-time only: a schema that drifts from its interface is a type error here.
void [
  same<z.output<typeof apiErrorSchema>, ApiErrorBody>(true),
  same<z.output<typeof publicRecordSchema>, PublicRecord>(true),
  same<z.output<typeof recordPageSchema>, RecordPage>(true),
  same<z.output<typeof searchRequestResultSchema>, SearchRequestResult>(true),
  same<z.output<typeof offerLookupSchema>, OfferLookup>(true),
  same<z.output<typeof adminCreateRecordResultSchema>, AdminCreateRecordResult>(true),
  same<z.output<typeof adminSetStatusResultSchema>, AdminSetStatusResult>(true),
  same<z.output<typeof sendNotificationsResultSchema>, SendNotificationsResult>(true),
  same<z.output<typeof adminNotificationsSchema>, AdminNotifications>(true),
  same<z.output<typeof adminStatisticsSchema>, AdminStatistics>(true),
  same<z.output<typeof enrichResponseSchema>, EnrichResponse>(true),
  same<z.output<typeof enrichJobProgressSchema>, EnrichJobProgress>(true),
  same<z.output<typeof sendOffersResultSchema>, SendOffersResult>(true),
  same<z.output<typeof outboxOpSchema>, OutboxOp>(true),
  same<z.output<typeof ownedValuesSchema>, OwnedValues>(true),
  same<z.output<typeof syncLogEntrySchema>, SyncLogEntry>(true),
  same<z.output<typeof pushResponseSchema>, PushResponse>(true),
  same<z.output<typeof reconcileResponseSchema>, ReconcileResponse>(true),
  same<z.output<typeof pullResponseSchema>, PullResponse>(true),
  same<z.output<typeof sheetStatusResponseSchema>, SheetStatusResponse>(true),
];
