import { Router } from 'express';
import {
  ackRequestSchema,
  pullRequestSchema,
  pushRequestSchema,
  reconcileRequestSchema,
  sheetSyncPaths,
  templatesRequestSchema,
} from '../../shared/sheet-sync-contract.ts';
import { sheetTaskStatesRequestSchema } from '../../shared/procurement-task-contract.ts';
import type { Database } from '../db/database.ts';
import { parseInput } from '../http/http-error.ts';
import { requireSheetSignature } from './sheet-auth.ts';
import type { SheetSync } from './sheet-sync-service.ts';

/** The add-on's sync endpoints, all behind the sheet's HMAC signature. */
export function createSheetRoutes(deps: { sync: SheetSync; secret: string | null; db: Database }): Router {
  const { sync } = deps;
  const router = Router();
  const signed = requireSheetSignature({ secret: deps.secret, db: deps.db });

  router.post(sheetSyncPaths.push, signed, async (req, res) => {
    res.json(await sync.push(parseInput(pushRequestSchema, req.body, 'invalid push')));
  });
  router.post(sheetSyncPaths.reconcile, signed, async (req, res) => {
    res.json(await sync.reconcile(parseInput(reconcileRequestSchema, req.body, 'invalid reconcile')));
  });
  router.post(sheetSyncPaths.pull, signed, async (req, res) => {
    res.json(await sync.pull(parseInput(pullRequestSchema, req.body ?? {}, 'invalid pull').ack));
  });
  router.post(sheetSyncPaths.ack, signed, async (req, res) => {
    res.json(await sync.ack(parseInput(ackRequestSchema, req.body ?? {}, 'invalid ack').ack));
  });
  router.post(sheetSyncPaths.templates, signed, async (req, res) => {
    res.json(await sync.templates(parseInput(templatesRequestSchema, req.body, 'invalid templates')));
  });
  router.post(sheetSyncPaths.tasks, signed, async (req, res) => {
    res.json(await sync.taskStates(parseInput(sheetTaskStatesRequestSchema, req.body, 'invalid task states')));
  });
  router.post(sheetSyncPaths.status, signed, async (_req, res) => {
    res.json(await sync.status());
  });
  return router;
}
