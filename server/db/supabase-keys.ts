/**
 * Supabase API keys come in two generations (https://supabase.com/docs/guides/api/api-keys):
 * the new opaque `sb_publishable_…` / `sb_secret_…` keys, and the legacy JWT `anon` /
 * `service_role` keys. The server needs the secret or service_role one: with the other, every
 * call is refused, since the publishable/anon key reaches only what anonymous visitors may.
 */
export type SupabaseKeyKind = 'secret' | 'publishable' | 'service_role' | 'anon' | 'other_jwt' | 'unknown';

/** What kind of key this is, from its shape alone (a JWT's role claim is read, not verified). */
export function classifySupabaseKey(key: string): SupabaseKeyKind {
  if (key.startsWith('sb_secret_')) return 'secret';
  if (key.startsWith('sb_publishable_')) return 'publishable';
  const parts = key.split('.');
  if (parts.length !== 3) return 'unknown';
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    const role = payload !== null && typeof payload === 'object' ? (payload as { role?: unknown }).role : undefined;
    if (role === 'service_role') return 'service_role';
    if (role === 'anon') return 'anon';
    return 'other_jwt';
  } catch {
    return 'unknown';
  }
}

const whereToFind =
  'copy the secret key (sb_secret_…) from Project Settings → API Keys, or the legacy service_role key from its "Legacy API keys" tab';

/** Why this key cannot be the server's, or null when it may be; never repeats the key. */
export function serviceKeyProblem(key: string): string | null {
  switch (classifySupabaseKey(key)) {
    case 'publishable':
      return `this is the publishable key (sb_publishable_…), which reaches only what anonymous visitors may: ${whereToFind}`;
    case 'anon':
      return `this is the anon key (a JWT with role "anon"), which reaches only what anonymous visitors may: ${whereToFind}`;
    case 'other_jwt':
      return `this JWT is not the service_role key: ${whereToFind}`;
    default:
      return null;
  }
}
