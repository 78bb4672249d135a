import type { Database } from '../db/database.ts';
import type { DeliveryJob } from './delivery-messages.ts';

export type FailureReason = 'flood' | 'transient' | 'blocked' | 'permanent';

/** The durable Telegram queue's SQL functions (claims with leases, the sent marker, retries). */
export function createDeliveryRepository(db: Database) {
  return {
    claim: (worker: string, limit: number, leaseSeconds: number) =>
      db.write<DeliveryJob[]>('delivery_claim', { p_worker: worker, p_limit: limit, p_lease_seconds: leaseSeconds }),
    complete: (id: number, worker: string, messageId: number) =>
      db.write<boolean>('delivery_complete', { p_id: id, p_worker: worker, p_message_id: messageId }),
    fail: (id: number, worker: string, reason: FailureReason, retryAfterSeconds: number | null, error: string) =>
      db.write<{ outcome: string }>('delivery_fail', { p_id: id, p_worker: worker, p_reason: reason, p_retry_after: retryAfterSeconds, p_error: error }),
    release: (ids: number[], worker: string) => db.write<number>('delivery_release', { p_ids: ids, p_worker: worker }),
    /** An admin message Telegram refused with 403: kept until the admin presses Start. */
    hold: (id: number, worker: string, error: string) => db.write<boolean>('delivery_hold', { p_id: id, p_worker: worker, p_error: error }),
    /** A message sent outside the queue that Telegram refused before the admin's Start: kept, rendered. */
    holdAdminMessage: (chatId: number, message: { html: string; reply_markup?: unknown }, error: string) =>
      db.write<number>('delivery_hold_admin_message', { p_chat_id: chatId, p_payload: { type: 'message', ...message }, p_error: error }),
    /** The admin pressed Start: their held messages (the newest few) are due again. */
    resumeHeld: (chatId: number) => db.write<number>('delivery_resume_held', { p_chat_id: chatId }),
  };
}
export type DeliveryRepository = ReturnType<typeof createDeliveryRepository>;
