import { z } from 'zod';

/**
 * GET /health: cheap, for load balancers and uptime checks (no call leaves the server). With
 * ?deep=1 and the admin token it also tries each integration (deep). server/health builds it.
 */
const isoTime = z.string().describe('ISO 8601 time');

export const taskHealthSchema = z.object({
  state: z.string().describe('starting, running, restarting, failed or stopped'),
  last_success_at: isoTime.nullable(),
  last_error: z.string().nullable(),
  last_error_at: isoTime.nullable(),
  failures_in_row: z.number().int(),
  failing_since: isoTime.nullable(),
  restarts: z.number().int(),
});

/** One integration tried by the deep check: did it answer, how fast, and what it said. */
export const integrationCheckSchema = z
  .object({
    status: z.enum(['ok', 'failed', 'off']).describe('off: not configured'),
    latency_ms: z.number().nullable(),
    detail: z.string().nullable().describe('What the integration answered, or why it failed (no secrets)'),
  })
  .meta({ id: 'IntegrationCheck' });

export const deepHealthSchema = z
  .object({
    database: integrationCheckSchema,
    telegram: integrationCheckSchema,
    llm: integrationCheckSchema,
    sheet: integrationCheckSchema.extend({ seconds_since_heard: z.number().nullable() }),
  })
  .meta({ id: 'DeepHealth' });
export type DeepHealth = z.infer<typeof deepHealthSchema>;

export const healthResponseSchema = z
  .object({
    status: z.enum(['ok', 'degraded', 'unavailable']),
    database: z.object({
      reachable: z.boolean(),
      kind: z.enum(['pglite', 'supabase']),
      schema_version: z.string().nullable().optional(),
      records: z.number().int().optional(),
      error: z.string().optional(),
    }),
    last_sync: z.unknown().describe('The latest entry of the sheet sync log, null until the sheet synced'),
    uptime_s: z.number().int(),
    integrations: z.record(z.string(), z.boolean()),
    llm_provider: z.string(),
    tasks: z.record(z.string(), taskHealthSchema),
    failed_tasks: z.array(z.string()),
    deep: deepHealthSchema.optional().describe('Only with ?deep=1 and the admin token'),
  })
  .meta({ id: 'Health' });
export type HealthResponse = z.infer<typeof healthResponseSchema>;

export const healthQuerySchema = z.object({
  deep: z.enum(['1', 'true', '0', 'false'], 'expected 1 or true').optional().describe('1: also try every integration (needs the admin token)'),
});

/** POST /api/admin/backup: where the running server wrote the embedded database's backup. */
export const backupResultSchema = z
  .object({ file: z.string().describe('Absolute path on the server'), bytes: z.number().int(), duration_ms: z.number() })
  .meta({ id: 'BackupResult' });
export type BackupResult = z.infer<typeof backupResultSchema>;
