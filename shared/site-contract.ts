import { z } from 'zod';

/** POST /api/admin/site/rebuild: rebuild the static export now (full: every page, else what changed). */
export const siteRebuildSchema = z.object({ full: z.boolean().default(false) }).strict();
export type SiteRebuild = z.infer<typeof siteRebuildSchema>;

export const siteRebuildResultSchema = z
  .object({
    kind: z.enum(['full', 'incremental']),
    rendered: z.number().int(),
    written: z.number().int(),
    deleted: z.number().int(),
    ms: z.number().int(),
    deployed: z.boolean().nullable().describe('null: no deploy hook configured'),
  })
  .meta({ id: 'SiteRebuildResult' });
export type SiteRebuildResult = z.infer<typeof siteRebuildResultSchema>;
