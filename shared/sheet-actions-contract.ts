import { z } from 'zod';

/**
 * Menu actions of the add-on that call server features other than sync. All are POST/GET with
 * the sheet's HMAC signature (shared/sheet-signature.ts).
 */
export const sheetActionPaths = {
  /** Start AI enrichment of some records; answers {job_id, total}. */
  enrich: '/api/sheet/enrich',
  /** Progress of an enrichment job: GET /api/sheet/enrich/<job_id>. */
  enrichJob: (jobId: string) => `/api/sheet/enrich/${encodeURIComponent(jobId)}`,
  /** Send pre-order offers for one record; answers {recipients, offers_created}. */
  sendOffers: '/api/sheet/send-offers',
  /** Rebuild the website's static export now (shared/site-contract.ts); answers SiteRebuildResult. */
  siteRebuild: '/api/sheet/site/rebuild',
} as const;

export const enrichRequestSchema = z
  .object({
    record_ids: z.array(z.uuid()).max(10_000).optional(),
    all_without_description: z.boolean().optional(),
    force: z.boolean().default(false),
  })
  .refine((r) => (r.record_ids?.length ?? 0) > 0 || r.all_without_description === true, {
    message: 'give record_ids or all_without_description: true',
    path: ['record_ids'],
  });
export type EnrichRequest = z.infer<typeof enrichRequestSchema>;

export interface EnrichJobProgress {
  job_id: string;
  status: 'queued' | 'running' | 'done';
  total: number;
  done: number;
  failed: number;
}

export const sendOffersRequestSchema = z.object({ record_id: z.uuid() });
export interface SendOffersResult {
  recipients: number;
  offers_created: number;
}
