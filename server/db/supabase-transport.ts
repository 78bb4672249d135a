import { createClient } from '@supabase/supabase-js';
import { DbError, type DbTransport } from './database.ts';

/**
 * supabase-js builds a realtime client in createClient() and, on Node 20 (no global WebSocket),
 * throws unless given a transport. The server never subscribes, so this one only says so.
 */
export class NoRealtime {
  constructor() {
    throw new Error('realtime is not used by this server');
  }
}

/** Calls the same SQL functions on Supabase through PostgREST's rpc endpoint. */
export function createSupabaseTransport(options: { url: string; serviceRoleKey: string; fetch?: typeof fetch }): DbTransport {
  const client = createClient(options.url, options.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: NoRealtime as never },
    global: options.fetch ? { fetch: options.fetch } : undefined,
  });
  return {
    kind: 'supabase',
    async call(fn, args) {
      const { data, error, status } = await client.rpc(fn, args);
      if (error) {
        // supabase-js reports network failures as an error with no SQLSTATE and status 0.
        const code = error.code || (status === 0 ? 'unavailable' : `http_${status}`);
        throw new DbError(code, error.message, error.hint || undefined, error.details || undefined);
      }
      return data ?? null;
    },
    close: async () => {},
  };
}
