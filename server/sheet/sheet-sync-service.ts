import {
  catalogRowHash,
  parseCatalogRow,
  sheetOwnedCatalogFields,
  type CatalogRowFields,
} from '../../shared/sheet-row-schema.ts';
import type {
  OutboxOp,
  OwnedValues,
  PushResponse,
  ReconcileResponse,
  SheetStatusResponse,
  SyncLogEntry,
} from '../../shared/sheet-sync-contract.ts';
import type { Database } from '../db/database.ts';

interface PushInput {
  rows: Array<{ id: string; fields: Record<string, unknown> }>;
  reason: 'edit' | 'reconcile';
  ack: number[];
}

/** Keeps only the sheet-owned fields, normalized, so the snapshot compares like with like. */
function ownedFieldsOnly(fields: CatalogRowFields): CatalogRowFields {
  const out: Record<string, unknown> = {};
  for (const field of sheetOwnedCatalogFields) out[field] = fields[field];
  return out as unknown as CatalogRowFields;
}

/**
 * The server's half of the sheet sync: validates rows again with the sheet's own schema, then
 * hands each step to one SQL function (field-level last writer wins, soft delete, outbox).
 */
export function createSheetSync(deps: { db: Database; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    async push(input: PushInput): Promise<PushResponse> {
      const at = now();
      const valid: Array<{ id: string; hash: string; fields: CatalogRowFields }> = [];
      const rejected: PushResponse['rejected'] = [];
      for (const row of input.rows) {
        const parsed = parseCatalogRow(row.fields, at);
        if (parsed.ok) {
          const fields = ownedFieldsOnly(parsed.fields);
          valid.push({ id: row.id, hash: catalogRowHash(fields), fields });
        } else rejected.push({ id: row.id, errors: parsed.errors as Record<string, string> });
      }
      const result = await db.write<{ accepted: number; owned: OwnedValues[]; ops: OutboxOp[] }>('sheet_sync_push', {
        p_rows: valid,
        p_reason: input.reason,
        p_ack: input.ack,
        p_rejected: rejected,
      });
      return { accepted: valid.length, rejected, owned: result.owned, ops: result.ops };
    },

    reconcile(input: { rows: Array<{ id: string; hash: string | null }>; ack: number[] }): Promise<ReconcileResponse> {
      return db.write<ReconcileResponse>('sheet_sync_reconcile', { p_rows: input.rows, p_ack: input.ack });
    },

    async pull(ack: number[]): Promise<{ ops: OutboxOp[] }> {
      const result = await db.write<{ ops: OutboxOp[] }>('sheet_sync_pull', { p_ack: ack });
      return { ops: result.ops };
    },

    async ack(ids: number[]): Promise<{ acked: number }> {
      return { acked: await db.write<number>('sheet_outbox_ack', { p_ids: ids }) };
    },

    /** Настройки_уведомлений replaces the stored templates (offers read them when they send). */
    async templates(input: { templates: Array<{ type: string; title: string; body: string; active: boolean }>; ack: number[] }) {
      const stored = await db.write<{ templates: number }>('templates_upsert', { p_templates: input.templates });
      const acked = input.ack.length > 0 ? await db.write<number>('sheet_outbox_ack', { p_ids: input.ack }) : 0;
      return { templates: stored.templates, acked };
    },

    /** Статус_задачи of Оповещения_админу: the task states the admin set in the sheet (only changed ones are written). */
    async taskStates(input: { tasks: Array<{ id: string; state: string }>; ack: number[] }) {
      const updated = await db.write<number>('sheet_tasks_push', { p_tasks: input.tasks });
      const acked = input.ack.length > 0 ? await db.write<number>('sheet_outbox_ack', { p_ids: input.ack }) : 0;
      return { updated, acked };
    },

    async status(): Promise<SheetStatusResponse> {
      const status = await db.read<{ waiting_ops: number; last_sync: SyncLogEntry | null }>('sheet_sync_status');
      return { ok: true, server_time: now().toISOString(), ...status };
    },

    /** The latest sync log entry, for /health. */
    lastSync: () => db.read<SyncLogEntry | null>('sheet_sync_last'),
  };
}
export type SheetSync = ReturnType<typeof createSheetSync>;
