import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/database.ts';

/** An admin's open conversation (a wizard), kept in the database so a restart loses nothing. */
export interface Conversation<Data = Record<string, unknown>> {
  flow: string;
  /** Carried in the conversation's buttons: a button of an older conversation is out of date. */
  session: string;
  step: string;
  data: Data;
}

/** An abandoned conversation is forgotten after a day. */
const ttlSeconds = 24 * 60 * 60;

export const newSession = (): string => randomBytes(4).toString('base64url').slice(0, 6);

/**
 * The admin_conversation_* SQL functions (supabase/migrations/20261202003000_admin_bot.sql).
 * Saves go through read(), like the AI queue's claims: a conversation is in no cached response
 * and queues no job, and write()'s listeners (catalog version check, AI worker wake-up) would
 * double the cost of every wizard step.
 */
export function createConversationStore(db: Database) {
  return {
    get: <Data>(chatId: number) => db.read<Conversation<Data> | null>('admin_conversation_get', { p_chat_id: chatId }),
    save: (chatId: number, c: Conversation<unknown>) =>
      db.read<void>('admin_conversation_save', {
        p_chat_id: chatId,
        p_flow: c.flow,
        p_session: c.session,
        p_step: c.step,
        p_data: c.data,
        p_ttl_seconds: ttlSeconds,
      }),
    clear: (chatId: number) => db.read<void>('admin_conversation_clear', { p_chat_id: chatId }),
  };
}
export type ConversationStore = ReturnType<typeof createConversationStore>;
