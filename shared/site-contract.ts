import { z } from 'zod';

/** POST /api/admin/site/rebuild: rebuild the static export now (full: every page, else what changed). */
export const siteRebuildSchema = z.object({ full: z.boolean().default(false) }).strict();
export type SiteRebuild = z.infer<typeof siteRebuildSchema>;

export interface SiteRebuildResult {
  kind: 'full' | 'incremental';
  rendered: number;
  written: number;
  deleted: number;
  ms: number;
  /** null: no deploy hook configured. */
  deployed: boolean | null;
}
