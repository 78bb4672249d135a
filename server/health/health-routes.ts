import { Router } from 'express';
import { healthQuerySchema } from '../../shared/health-contract.ts';
import { integrationStatus, type Config } from '../config.ts';
import type { CatalogRepository } from '../catalog/catalog-repository.ts';
import { DbError } from '../db/database.ts';
import { requireAdminToken } from '../http/admin-auth.ts';
import { parseInput } from '../http/http-error.ts';
import type { TaskStatus } from '../tasks/task-supervisor.ts';
import type { DeepHealthCheck } from './deep-health.ts';

export interface HealthDeps {
  config: Config;
  catalog: CatalogRepository;
  startedAt: number;
  /** When the sheet last synced (ISO time), null until it has. */
  lastSync: () => Promise<unknown>;
  /** The background tasks' states, from the supervisor's memory (no query). */
  tasks: () => TaskStatus[];
  /** ?deep=1: tries every integration; admin token only (it calls out and costs time). */
  deep: DeepHealthCheck;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Each task by name: its state, when it last got work done, and its current failure streak. */
function describeTasks(tasks: TaskStatus[]) {
  return Object.fromEntries(
    tasks.map((t) => [
      t.name,
      {
        state: t.state,
        last_success_at: iso(t.lastSuccessAt),
        last_error: t.lastError,
        last_error_at: iso(t.lastErrorAt),
        failures_in_row: t.failuresInRow,
        failing_since: iso(t.failingSince),
        restarts: t.restarts,
      },
    ]),
  );
}

/**
 * GET /health: is the database reachable, which schema, which integrations are on, how each
 * background task is doing. 503 when the database does not answer or a task has failed beyond
 * its restart policy, so a load balancer or uptime check notices.
 */
export function createHealthRoutes(deps: HealthDeps): Router {
  const router = Router();
  const adminOnly = requireAdminToken(deps.config.adminApiToken);
  router.get('/health', async (req, res, next) => {
    const { deep } = parseInput(healthQuerySchema, req.query, 'invalid query');
    if (deep === '1' || deep === 'true') {
      // Without the token the answer is a 401 (or 503 with the admin API off), never a silent cheap check.
      const refused = await new Promise<unknown>((resolve) => adminOnly(req, res, resolve));
      if (refused) return next(refused);
    }
    const deepResult = deep === '1' || deep === 'true' ? deps.deep() : null;
    const integrations = Object.fromEntries(
      Object.entries(integrationStatus(deps.config)).map(([name, status]) => [name, status.configured]),
    );
    const tasks = deps.tasks();
    const failedTasks = tasks.filter((t) => t.state === 'failed').map((t) => t.name);
    const base = {
      uptime_s: Math.round((Date.now() - deps.startedAt) / 1000),
      integrations,
      llm_provider: deps.config.llm.primary?.name ?? 'template',
      tasks: describeTasks(tasks),
      failed_tasks: failedTasks,
    };
    try {
      const [status, lastSync] = await Promise.all([deps.catalog.status(), deps.lastSync()]);
      res.status(failedTasks.length > 0 ? 503 : 200).json({
        status: failedTasks.length > 0 ? 'degraded' : 'ok',
        database: { reachable: true, kind: deps.config.database.kind, schema_version: status.schema_version, records: status.records },
        last_sync: lastSync,
        ...base,
        ...(deepResult ? { deep: await deepResult } : {}),
      });
    } catch (error) {
      res.status(503).json({
        status: 'unavailable',
        // The code only: /health is public, and the database's own text names its internals.
        database: { reachable: false, kind: deps.config.database.kind, error: `the database did not answer (${error instanceof DbError ? error.code : 'no code'})` },
        last_sync: null,
        ...base,
        ...(deepResult ? { deep: await deepResult } : {}),
      });
    }
  });
  return router;
}
