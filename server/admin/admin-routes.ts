import { Router } from 'express';
import {
  adminCreateRecordSchema,
  adminJoinRequestSchema,
  adminRecordIdParamsSchema,
  adminSetStatusSchema,
  recordIdParamsSchema,
  type AdminCreateRecordResult,
} from '../../shared/demand-contract.ts';
import { procurementTaskChangeSchema, procurementTasksQuerySchema } from '../../shared/procurement-task-contract.ts';
import { isOnSale, missingForSale } from '../../shared/record-fields.ts';
import { apiFieldMessages } from '../../shared/record-field-schemas.ts';
import type { RecordKeyResolver } from '../catalog/record-key.ts';
import { requireAdminToken } from '../http/admin-auth.ts';
import { HttpError, parseInput } from '../http/http-error.ts';
import { sendOffersError } from '../offers/offer-routes.ts';
import type { OffersRepository } from '../offers/offers-repository.ts';
import type { DemandRepository } from '../demand/demand-repository.ts';
import type { AdminRepository } from './admin-repository.ts';

/** The admin API (bearer ADMIN_API_TOKEN), used by the admin bot and scripts. */
export function createAdminRoutes(deps: { adminApiToken: string | null; admin: AdminRepository; offers: OffersRepository; recordId: RecordKeyResolver; demand: DemandRepository }) {
  const router = Router();
  router.use('/api/admin', requireAdminToken(deps.adminApiToken));

  router.post('/api/admin/records', async (req, res) => {
    const record = parseInput(adminCreateRecordSchema, req.body);
    const created = await deps.admin.createRecord(record);
    // A title customers asked for becomes their request's record, so they are not left waiting on another one.
    const body: AdminCreateRecordResult = {
      status: created.joined_request ? 'joined_request' : 'created',
      record_id: created.record_id,
      row_number: created.number,
      ai_enrichment_queued: created.ai_enrichment_queued,
      possible_request: created.possible_request ?? null,
    };
    res.status(201).json(body);
  });

  // The admin's answer to a loose match: the request's customers move onto this record.
  router.post('/api/admin/records/:id/join-request', async (req, res) => {
    const { id: key } = parseInput(recordIdParamsSchema, req.params);
    const { request_number } = parseInput(adminJoinRequestSchema, req.body);
    const id = await deps.recordId(key, 'id');
    const request = await deps.admin.record(String(request_number));
    if (!request) throw new HttpError(404, 'no such request', [{ field: 'request_number', message: 'no record with this number' }]);
    const joined = await deps.demand.joinRequest(id, request.id);
    if (joined.result === 'not_found') throw new HttpError(404, 'no such record', [{ field: 'id', message: 'no record with this id, or it is the request itself' }]);
    if (joined.result === 'not_a_request') {
      throw new HttpError(409, 'not a customers\' request', [{ field: 'request_number', message: `#${request_number} is ${joined.status}, not a search request or procurement task` }]);
    }
    res.json(joined);
  });

  router.patch('/api/admin/records/:id/status', async (req, res) => {
    const { id: key } = parseInput(recordIdParamsSchema, req.params);
    const change = parseInput(adminSetStatusSchema, req.body);
    // Going on sale needs what the sheet and POST /api/admin/records require (the database checks it
    // again, atomically); a record already on sale may move within it.
    const record = await deps.admin.record(key);
    if (!record) throw new HttpError(404, 'no such record', [{ field: 'id', message: 'no record with this id' }]);
    const missing = isOnSale(record.status) ? [] : missingForSale(record, change.status);
    if (missing.length > 0) {
      throw new HttpError(400, `the record needs ${missing.join(', ')} before it goes on sale`,
        missing.map((field) => ({ field, message: apiFieldMessages.forSale(field) })));
    }
    const result = await deps.admin.setStatus(record.id, change);
    if (!result) throw new HttpError(404, 'no such record', [{ field: 'id', message: 'no record with this id' }]);
    res.json(result);
  });

  router.get('/api/admin/notifications', async (_req, res) => {
    res.json(await deps.admin.notifications());
  });

  router.post('/api/admin/send-notifications/:record_id', async (req, res) => {
    const { record_id: key } = parseInput(adminRecordIdParamsSchema, req.params);
    const result = await deps.offers.createForRecord(await deps.recordId(key, 'record_id'));
    if ('error' in result) throw sendOffersError(result.error, result.status);
    res.json(result);
  });

  // Procurement tasks: the same state as the bot's 📬 buttons and the sheet's Статус_задачи.
  router.get('/api/admin/procurement-tasks', async (req, res) => {
    const { state } = parseInput(procurementTasksQuerySchema, req.query);
    res.json({ tasks: await deps.admin.procurementTasks(state) });
  });

  const noTask = (id: string) => new HttpError(404, 'no such procurement task', [{ field: 'id', message: `record ${id} is not and never was a procurement task` }]);
  router.get('/api/admin/procurement-tasks/:id', async (req, res) => {
    const { id: key } = parseInput(recordIdParamsSchema, req.params);
    const task = await deps.admin.procurementTask(await deps.recordId(key, 'id'));
    if (!task) throw noTask(key);
    res.json(task);
  });

  router.patch('/api/admin/procurement-tasks/:id', async (req, res) => {
    const { id: key } = parseInput(recordIdParamsSchema, req.params);
    const { state } = parseInput(procurementTaskChangeSchema, req.body);
    const task = await deps.admin.setProcurementTask(await deps.recordId(key, 'id'), state);
    if (!task) throw noTask(key);
    res.json(task);
  });

  router.get('/api/admin/statistics', async (_req, res) => {
    res.json(await deps.admin.statistics());
  });
  return router;
}
