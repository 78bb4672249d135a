import { z } from 'zod';

/**
 * The sync protocol between the add-on and the server (docs/sheet-sync.md). Every request is a
 * signed POST (shared/sheet-signature.ts). Acknowledgements of applied outbox operations ride
 * on any request (`ack`), so an execution that pushes needs no separate ack call.
 */
export const sheetSyncPaths = {
  /** Rows the sheet changed (an edit, a paste, or the rows a reconcile asked for). */
  push: '/api/sheet/push',
  /** Step one of a reconcile: id -> content hash of every row; answers which ids it needs. */
  reconcile: '/api/sheet/reconcile',
  /** Waiting outbox operations (the time trigger's pull) plus acknowledgement. */
  pull: '/api/sheet/pull',
  /** Acknowledge applied outbox operations only. */
  ack: '/api/sheet/ack',
  /** Connection check for the menu and the status sidebar. */
  status: '/api/sheet/status',
  /** The whole Настройки_уведомлений worksheet: the admin's message templates. */
  templates: '/api/sheet/templates',
  /** Статус_задачи of Оповещения_админу rows: procurement task states the admin set in the sheet. */
  tasks: '/api/sheet/tasks',
} as const;

const ackIds = z.array(z.number().int().positive()).max(10_000).default([]);

/** One row as the add-on sends it: its ID and the sheet-owned cells by column key. */
export const pushedRowSchema = z.object({
  id: z.uuid(),
  fields: z.record(z.string(), z.unknown()),
});

export const pushRequestSchema = z.object({
  rows: z.array(pushedRowSchema).max(20_000),
  /** 'edit' for trigger pushes, 'reconcile' for rows a reconcile asked for. */
  reason: z.enum(['edit', 'reconcile']).default('edit'),
  ack: ackIds,
});
export type PushRequest = z.input<typeof pushRequestSchema>;

export const reconcileRequestSchema = z.object({
  /** hash null: the row is in the sheet but invalid (keep it, do not ask for it). */
  rows: z.array(z.object({ id: z.uuid(), hash: z.string().max(64).nullable() })).max(50_000),
  ack: ackIds,
});
export type ReconcileRequest = z.input<typeof reconcileRequestSchema>;

/** Настройки_уведомлений as the admin keeps it; the server replaces its templates with these. */
export const templatesRequestSchema = z.object({
  templates: z
    .array(
      z.object({
        type: z.string().trim().min(1).max(64),
        title: z.string().max(200).default(''),
        body: z.string().max(4000).default(''),
        active: z.boolean().default(true),
      }),
    )
    .max(200),
  ack: ackIds,
});
export type TemplatesRequest = z.input<typeof templatesRequestSchema>;

export const pullRequestSchema = z.object({ ack: ackIds });
export const ackRequestSchema = z.object({ ack: ackIds });

/** A waiting operation of the server's sheet outbox (supabase/migrations/*_sheet_outbox.sql). */
export interface OutboxOp {
  id: number;
  op: 'append_row' | 'set_fields';
  sheet: string;
  record_id: string | null;
  payload: {
    values?: Record<string, unknown>;
    fields?: Record<string, unknown>;
    notes?: Record<string, string | null>;
  };
}

/** Server-owned catalog cells as the server holds them, for putting hand edits back. */
export interface OwnedValues {
  id: string;
  preorder_count: number;
  participants: string;
  last_interest_at: string | null;
}

export interface PushResponse {
  accepted: number;
  /** Rows the server refused, with a Russian message per field (the add-on shows them as notes). */
  rejected: Array<{ id: string; errors: Record<string, string> }>;
  owned: OwnedValues[];
  ops: OutboxOp[];
}

export interface ReconcileResponse {
  need: string[];
  deleted: number;
  ops: OutboxOp[];
}

export interface PullResponse {
  ops: OutboxOp[];
}

export interface SheetStatusResponse {
  ok: true;
  server_time: string;
  waiting_ops: number;
  last_sync: SyncLogEntry | null;
}

/** One entry of the server's sync log; /health reports the latest. */
export interface SyncLogEntry {
  at: string;
  kind: string;
  rows_in: number;
  rows_out: number;
  errors: number;
  duration_ms: number;
}
