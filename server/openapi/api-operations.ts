import { z } from 'zod';
import { enrichParamsSchema, enrichQuerySchema } from '../../shared/ai-contract.ts';
import * as responses from '../../shared/api-response-schemas.ts';
import { recordHistorySchema } from '../../shared/audit-contract.ts';
import { recordParamsSchema, recordsQuerySchema } from '../../shared/catalog-contract.ts';
import {
  adminCreateRecordSchema,
  adminJoinRequestSchema,
  adminRecordIdParamsSchema,
  adminSetStatusSchema,
  offerParamsSchema,
  recordIdParamsSchema,
  searchRequestSchema,
} from '../../shared/demand-contract.ts';
import {
  procurementTaskChangeSchema,
  procurementTaskListSchema,
  procurementTaskSchema,
  procurementTasksQuerySchema,
  sheetTaskStatesRequestSchema,
  sheetTaskStatesResponseSchema,
} from '../../shared/procurement-task-contract.ts';
import { backupResultSchema, healthQuerySchema, healthResponseSchema } from '../../shared/health-contract.ts';
import { siteRebuildResultSchema, siteRebuildSchema } from '../../shared/site-contract.ts';
import { enrichRequestSchema, sendOffersRequestSchema, sheetActionPaths } from '../../shared/sheet-actions-contract.ts';
import {
  ackRequestSchema,
  pullRequestSchema,
  pushRequestSchema,
  reconcileRequestSchema,
  sheetSyncPaths,
  templatesRequestSchema,
} from '../../shared/sheet-sync-contract.ts';

/**
 * Every HTTP endpoint of the server, described from the zod schemas its route validates with.
 * openapi-document.ts turns this list into /openapi.json; test/openapi checks that every route
 * of the real app is here and that the API tests' responses match it.
 */
export type Auth = 'public' | 'admin' | 'sheet' | 'metrics' | 'telegram';

export interface ApiOperation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** The express path (`/api/records/:id`). */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Status → body schema (JSON), or a media type and a note for other bodies. */
  responses: Record<number, { description: string; schema?: z.ZodType; mediaType?: string }>;
  /** Per-IP limit of public writes: a 429 is possible. */
  rateLimited?: boolean;
}

const ok = (schema: z.ZodType, description = 'OK') => ({ description, schema });
const notFound = { description: 'No such thing (details name the field)', schema: responses.apiErrorSchema };
const conflict = (description: string) => ({ description, schema: responses.apiErrorSchema });
const jobParamsSchema = z.object({ job_id: z.uuid() });

export const apiOperations: ApiOperation[] = [
  // Public catalog: the website's hot path (answers from the response cache with an ETag).
  {
    method: 'get',
    path: '/api/records',
    tag: 'catalog',
    summary: 'Search and list the catalog',
    description: 'Full-text and fuzzy search (Russian and English, transliteration) with filters. Cached; answers 304 to a matching If-None-Match.',
    auth: 'public',
    query: recordsQuerySchema,
    responses: { 200: ok(responses.recordPageSchema), 304: { description: 'Not modified (ETag matched)', mediaType: 'none' } },
  },
  {
    method: 'get',
    path: '/api/records/:id',
    tag: 'catalog',
    summary: 'One record by id (uuid) or number',
    auth: 'public',
    params: recordParamsSchema,
    responses: { 200: ok(responses.publicRecordSchema), 304: { description: 'Not modified (ETag matched)', mediaType: 'none' }, 404: notFound },
  },
  {
    method: 'post',
    path: '/api/search-requests',
    tag: 'demand',
    summary: '«Уведомить о поступлении»: count a customer’s interest in a record',
    description: 'Creates a search request (or joins the existing record). A verified Telegram login counts as verified interest.',
    auth: 'public',
    rateLimited: true,
    body: searchRequestSchema,
    responses: {
      200: ok(responses.searchRequestResultSchema, 'Joined or already counted'),
      201: ok(responses.searchRequestResultSchema, 'A new record was started'),
      202: ok(responses.searchRequestResultSchema, 'Unverified interest in a title the catalog lacks: kept for the admin, no record yet'),
    },
  },
  {
    method: 'get',
    path: '/api/offers/:code',
    tag: 'offers',
    summary: 'Check a pre-order offer code',
    auth: 'public',
    rateLimited: true,
    params: offerParamsSchema,
    responses: { 200: ok(responses.offerLookupSchema), 404: notFound },
  },

  // Admin API (bearer ADMIN_API_TOKEN).
  {
    method: 'post',
    path: '/api/admin/records',
    tag: 'admin',
    summary: 'Create a record with the sheet’s rules',
    auth: 'admin',
    body: adminCreateRecordSchema,
    responses: { 201: ok(responses.adminCreateRecordResultSchema, 'Created (or a waiting customers’ request became this record)') },
  },
  {
    method: 'post',
    path: '/api/admin/records/:id/join-request',
    tag: 'admin',
    summary: 'Move a customers’ request (by its record number) onto this record, with its waiting customers',
    auth: 'admin',
    params: recordIdParamsSchema,
    body: adminJoinRequestSchema,
    responses: {
      200: ok(responses.joinRequestResultSchema),
      404: notFound,
      409: conflict('The other record is not a search request or procurement task'),
    },
  },
  {
    method: 'patch',
    path: '/api/admin/records/:id/status',
    tag: 'admin',
    summary: 'Change a record’s status (offers go out when it becomes available)',
    auth: 'admin',
    params: recordIdParamsSchema,
    body: adminSetStatusSchema,
    responses: { 200: ok(responses.adminSetStatusResultSchema), 404: notFound },
  },
  {
    method: 'get',
    path: '/api/admin/records/:id/history',
    tag: 'admin',
    summary: 'Every change of a record: field, old → new, who, when (kept after deletion; by number only while the record exists)',
    auth: 'admin',
    params: recordIdParamsSchema,
    responses: { 200: ok(recordHistorySchema), 404: notFound },
  },
  {
    method: 'get',
    path: '/api/admin/notifications',
    tag: 'admin',
    summary: 'What needs the admin: procurement, pre-orders ready, failed deliveries',
    auth: 'admin',
    responses: { 200: ok(responses.adminNotificationsSchema) },
  },
  {
    method: 'post',
    path: '/api/admin/send-notifications/:record_id',
    tag: 'admin',
    summary: 'Send pre-order offers for one available record',
    auth: 'admin',
    params: adminRecordIdParamsSchema,
    responses: {
      200: ok(responses.sendNotificationsResultSchema),
      404: notFound,
      409: conflict('The record is not available or has no price'),
    },
  },
  {
    method: 'get',
    path: '/api/admin/procurement-tasks',
    tag: 'admin',
    summary: 'Procurement tasks and their state (new, in_work, done, dismissed), most waiting first',
    description: 'The same state as the bot’s 📬 buttons and the sheet’s Оповещения_админу (Статус_задачи). Default: the pending ones (new, in_work).',
    auth: 'admin',
    query: procurementTasksQuerySchema,
    responses: { 200: ok(procurementTaskListSchema), 400: { description: 'Unknown state', schema: responses.apiErrorSchema } },
  },
  {
    method: 'get',
    path: '/api/admin/procurement-tasks/:id',
    tag: 'admin',
    summary: 'The procurement task of a record (its uuid or number)',
    auth: 'admin',
    params: recordIdParamsSchema,
    responses: { 200: ok(procurementTaskSchema), 404: notFound },
  },
  {
    method: 'patch',
    path: '/api/admin/procurement-tasks/:id',
    tag: 'admin',
    summary: 'Change a procurement task’s state; the bot and the sheet’s row follow',
    auth: 'admin',
    params: recordIdParamsSchema,
    body: procurementTaskChangeSchema,
    responses: { 200: ok(procurementTaskSchema), 400: { description: 'Unknown state', schema: responses.apiErrorSchema }, 404: notFound },
  },
  {
    method: 'get',
    path: '/api/admin/statistics',
    tag: 'admin',
    summary: 'Business figures: inventory, revenue, engagement, hot requests',
    auth: 'admin',
    responses: { 200: ok(responses.adminStatisticsSchema) },
  },

  {
    method: 'post',
    path: '/api/admin/site/rebuild',
    tag: 'admin',
    summary: 'Rebuild the static export of the website now (full: every page; else only what changed)',
    auth: 'admin',
    body: siteRebuildSchema,
    responses: { 200: ok(siteRebuildResultSchema), 409: conflict('The static export is off (SITE_EXPORT_DIR not set)') },
  },
  {
    method: 'post',
    path: '/api/admin/backup',
    tag: 'admin',
    summary: 'Back up the embedded database now (into BACKUP_DIR, keeping BACKUP_KEEP)',
    auth: 'admin',
    responses: { 201: ok(backupResultSchema, 'Written'), 409: conflict('The server runs on Supabase: use npm run backup with SUPABASE_DB_URL') },
  },

  // AI musicologist.
  {
    method: 'post',
    path: '/api/ai/enrich/:record_id',
    tag: 'ai',
    summary: 'Fill a record’s label, country, description and SEO now',
    auth: 'admin',
    params: enrichParamsSchema,
    query: enrichQuerySchema,
    responses: { 200: ok(responses.enrichResponseSchema), 404: notFound },
  },
  {
    method: 'post',
    path: sheetActionPaths.enrich,
    tag: 'sheet',
    summary: 'Queue AI enrichment of records (the add-on’s menu)',
    auth: 'sheet',
    body: enrichRequestSchema,
    responses: { 202: ok(responses.enrichBatchStartedSchema, 'Queued'), 404: notFound },
  },
  {
    method: 'get',
    path: '/api/sheet/enrich/:job_id',
    tag: 'sheet',
    summary: 'Progress of an enrichment job',
    auth: 'sheet',
    params: jobParamsSchema,
    responses: { 200: ok(responses.enrichJobProgressSchema), 404: notFound },
  },
  {
    method: 'post',
    path: sheetActionPaths.sendOffers,
    tag: 'sheet',
    summary: 'Send pre-order offers for one record (the add-on’s menu)',
    auth: 'sheet',
    body: sendOffersRequestSchema,
    responses: { 200: ok(responses.sendOffersResultSchema), 404: notFound, 409: conflict('The record is not available or has no price') },
  },

  {
    method: 'post',
    path: sheetActionPaths.siteRebuild,
    tag: 'sheet',
    summary: 'Rebuild the static export of the website now (the add-on’s menu)',
    auth: 'sheet',
    body: siteRebuildSchema,
    responses: { 200: ok(siteRebuildResultSchema), 409: conflict('The static export is off (SITE_EXPORT_DIR not set)') },
  },

  // Sheet sync (docs/sheet-sync.md).
  { method: 'post', path: sheetSyncPaths.push, tag: 'sheet', summary: 'Rows the sheet changed', auth: 'sheet', body: pushRequestSchema, responses: { 200: ok(responses.pushResponseSchema) } },
  {
    method: 'post',
    path: sheetSyncPaths.reconcile,
    tag: 'sheet',
    summary: 'Compare row hashes; answers the rows the server needs',
    auth: 'sheet',
    body: reconcileRequestSchema,
    responses: { 200: ok(responses.reconcileResponseSchema) },
  },
  { method: 'post', path: sheetSyncPaths.pull, tag: 'sheet', summary: 'Waiting outbox operations', auth: 'sheet', body: pullRequestSchema, responses: { 200: ok(responses.pullResponseSchema) } },
  { method: 'post', path: sheetSyncPaths.ack, tag: 'sheet', summary: 'Acknowledge applied outbox operations', auth: 'sheet', body: ackRequestSchema, responses: { 200: ok(responses.ackResponseSchema) } },
  {
    method: 'post',
    path: sheetSyncPaths.templates,
    tag: 'sheet',
    summary: 'Replace the notification templates (Настройки_уведомлений)',
    auth: 'sheet',
    body: templatesRequestSchema,
    responses: { 200: ok(responses.templatesResponseSchema) },
  },
  {
    method: 'post',
    path: sheetSyncPaths.tasks,
    tag: 'sheet',
    summary: 'Статус_задачи of Оповещения_админу, as the admin set it in the sheet',
    auth: 'sheet',
    body: sheetTaskStatesRequestSchema,
    responses: { 200: ok(sheetTaskStatesResponseSchema) },
  },
  { method: 'post', path: sheetSyncPaths.status, tag: 'sheet', summary: 'Connection check for the add-on', auth: 'sheet', responses: { 200: ok(responses.sheetStatusResponseSchema) } },

  // Operations.
  {
    method: 'get',
    path: '/health',
    tag: 'operations',
    summary: 'Can the server serve: database, background tasks; ?deep=1 (admin token) tries every integration',
    auth: 'public',
    query: healthQuerySchema,
    responses: { 200: ok(healthResponseSchema), 401: { description: 'deep=1 without the admin token', schema: responses.apiErrorSchema }, 503: ok(healthResponseSchema, 'Cannot serve, or a task failed for good') },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'operations',
    summary: 'Prometheus metrics (bearer METRICS_TOKEN when set)',
    auth: 'metrics',
    responses: { 200: { description: 'Prometheus text exposition format', mediaType: 'text/plain' } },
  },
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'operations',
    summary: 'This document',
    auth: 'public',
    responses: { 200: { description: 'OpenAPI 3.1', mediaType: 'application/json' } },
  },
  {
    method: 'get',
    path: '/docs',
    tag: 'operations',
    summary: 'Interactive API reference (works offline)',
    auth: 'public',
    responses: { 200: { description: 'HTML page', mediaType: 'text/html' } },
  },
];
