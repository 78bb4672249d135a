import { createClient } from '@supabase/supabase-js';
import { DbError, type DbTransport } from './database.ts';

/** Calls the same SQL functions on Supabase through PostgREST's rpc endpoint. */
export function createSupabaseTransport(options: { url: string; serviceRoleKey: string; fetch?: typeof fetch }): DbTransport {
  const client = createClient(options.url, options.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
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
