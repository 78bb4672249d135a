import { z } from 'zod';
import { queryNumber } from './query-number.ts';
import { recordFields, type RecordCatalogFields, type RecordTextFields } from './record-fields.ts';
import { activeStatuses, type ActiveStatus, type RecordStatus } from './record-status.ts';
import { normalizeText } from './text-normalize.ts';

/** A record as the public API returns it (the list carries a description excerpt). */
export interface PublicRecord extends RecordCatalogFields, RecordTextFields {
  id: string;
  number: number;
  slug: string;
  image_url: string | null;
  status: RecordStatus;
  preorder: { minimum: number; count: number; last_interest_at: string | null };
  created_at: string;
  updated_at: string;
}

export interface RecordPage {
  /** Exact up to 4000 matches; beyond that an estimate, and total_exact is false. */
  total: number;
  total_exact: boolean;
  records: PublicRecord[];
}

// Filters bound what is sensible to ask, from the record's own rules; a year filter may look past
// next year (the record rule) without harm.
const yearFilter = queryNumber({ min: recordFields.year.min, max: 2100, integer: true }).optional();
const priceFilter = queryNumber({ min: recordFields.price.min, max: recordFields.price.max }).optional();
/** Query text is normalised like the catalog's text, so a pasted zero-width space still matches. */
const queryText = (min: number, max: number) => z.string().transform((v) => normalizeText(v)).pipe(z.string().min(min).max(max));

/** One status, a comma-separated list, or "all" (every status but deleted). */
const statusFilter = z
  .string()
  .trim()
  .toLowerCase()
  .default('available')
  .transform((value, ctx): ActiveStatus[] => {
    if (value === 'all') return [...activeStatuses];
    const parts = value.split(',').map((part) => part.trim()).filter(Boolean);
    const unknown = parts.filter((part) => !(activeStatuses as readonly string[]).includes(part));
    if (parts.length === 0 || unknown.length > 0) {
      ctx.addIssue({ code: 'custom', message: `expected one of ${activeStatuses.join(', ')} or all` });
      return z.NEVER;
    }
    return parts as ActiveStatus[];
  });

/** Query string of GET /api/records. */
export const recordsQuerySchema = z
  .object({
    search: queryText(0, 200).optional(),
    genre: queryText(1, recordFields.genre.max).optional(),
    year_min: yearFilter,
    year_max: yearFilter,
    price_min: priceFilter,
    price_max: priceFilter,
    status: statusFilter,
    limit: queryNumber({ min: 1, max: 100, integer: true }).default(50),
    offset: queryNumber({ min: 0, max: 1_000_000, integer: true }).default(0),
  })
  .refine((q) => q.year_min === undefined || q.year_max === undefined || q.year_min <= q.year_max, {
    path: ['year_max'],
    message: 'must not be less than year_min',
  })
  .refine((q) => q.price_min === undefined || q.price_max === undefined || q.price_min <= q.price_max, {
    path: ['price_max'],
    message: 'must not be less than price_min',
  });
export type RecordsQuery = z.infer<typeof recordsQuerySchema>;

/** Record key in URLs: the uuid or the short number the admin uses. */
export const recordKeySchema = z.union([z.uuid(), z.string().regex(/^[0-9]{1,9}$/)], {
  error: 'expected a record id (uuid) or number',
});
export const recordParamsSchema = z.object({ id: recordKeySchema });

/** Error body of every endpoint: what went wrong and, for bad input, which field and why. */
export interface ApiErrorBody {
  error: string;
  details?: Array<{ field: string; message: string }>;
}
