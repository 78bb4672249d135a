import { DbError } from './database.ts';

const secretKeyHint =
  'SUPABASE_SECRET_KEY (or SUPABASE_SERVICE_ROLE_KEY) must be the secret key (sb_secret_…) from Project Settings → API Keys, or the legacy service_role key';

/**
 * Why the first call to Supabase (app_status) failed, and what to do about it. Each cause has
 * its own fix, so "apply the migrations" is said only when the function is really missing.
 * PostgREST's codes: https://docs.postgrest.org/en/v12/references/errors.html
 */
export function explainSupabaseStartupFailure(url: string, error: unknown): string {
  const at = `Supabase at ${url}`;
  if (!(error instanceof DbError)) return `${at} failed on app_status(): ${(error as Error).message}`;
  const said = `(${error.code}: ${error.message})`;
  const status = /^http_(\d{3})$/.exec(error.code)?.[1];
  switch (true) {
    // No such function (PostgREST's schema cache, or Postgres itself), or no table behind it.
    case ['PGRST202', '42883', '42P01', 'PGRST205'].includes(error.code):
      return `${at} has no app_status() ${said}: apply the migrations first (supabase db push; README, "Deploying to Supabase"). If they are applied, PostgREST may still hold an old schema cache: run NOTIFY pgrst, 'reload schema'.`;
    case error.code === '42501':
      return `${at} refused the service role ${said}: the grants are missing (new projects grant new tables to no role), so apply migration 20261201000100_api_roles.sql (supabase db push). If it is applied, the key is not the service one: ${secretKeyHint}.`;
    case status === '401' || ['PGRST300', 'PGRST301', 'PGRST302'].includes(error.code):
      return `${at} refused the API key ${said}: ${secretKeyHint}, of this project.`;
    case error.code === 'unavailable':
      return `${at} cannot be reached ${said}: check SUPABASE_URL (https://<project-ref>.supabase.co) and the network.`;
    case status === '404' || error.code.startsWith('PGRST1'):
      return `${at} does not answer like a Supabase project ${said}: check SUPABASE_URL (https://<project-ref>.supabase.co, without /rest/v1).`;
    case ['PGRST000', 'PGRST001', 'PGRST002', 'PGRST003', '57014'].includes(error.code) || (status !== undefined && status >= '500'):
      return `${at} is up but its database is not answering ${said}: the project may be paused or restarting; try again in a minute.`;
    default:
      return `${at} failed on app_status() ${said}.`;
  }
}
