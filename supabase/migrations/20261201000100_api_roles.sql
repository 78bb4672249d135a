-- Supabase's API roles, as a project created today has them. New tables in public get no grants
-- to anon, authenticated or service_role (Supabase changelog 45329, "Tables not exposed to Data
-- and GraphQL API automatically", 2026), and a function that is not security definer runs with
-- its caller's rights: the server calls every function with the service role key, so
-- service_role needs the tables as well as the functions. anon and authenticated (the
-- publishable/anon key, which may sit in a browser, and signed-in Supabase Auth users) get
-- nothing at all, so GET /rest/v1/ with that key lists no table and no function.
--
-- It is done by app_restrict_functions(), which every migration calls last, so the tables,
-- sequences and functions of later migrations are covered the same way. Plain PostgreSQL and
-- PGlite have none of these roles: there it does nothing.
create or replace function app_restrict_functions() returns void
language plpgsql as $$
declare
  v_role text;
begin
  foreach v_role in array array['anon', 'authenticated'] loop
    continue when not exists (select 1 from pg_roles where rolname = v_role);
    execute format('revoke all on all tables in schema public from %I', v_role);
    execute format('revoke all on all sequences in schema public from %I', v_role);
    execute format('revoke all on all functions in schema public from %I', v_role);
    -- Supabase grants these roles whatever postgres creates in public (default privileges; on
    -- older projects tables too): revoked, so an object is not exposed between its creation and
    -- the end of its migration, nor when created by hand in the SQL editor.
    execute format('alter default privileges in schema public revoke all on tables from %I', v_role);
    execute format('alter default privileges in schema public revoke all on sequences from %I', v_role);
    execute format('alter default privileges in schema public revoke all on functions from %I', v_role);
  end loop;

  if exists (select 1 from pg_roles where rolname = 'anon') then
    -- PostgreSQL lets PUBLIC (every role, anon included) execute a new function.
    execute 'revoke execute on all functions in schema public from public';
  end if;

  if exists (select 1 from pg_roles where rolname = 'service_role') then
    execute 'grant usage on schema public to service_role';
    execute 'grant select, insert, update, delete on all tables in schema public to service_role';
    -- Identity columns need no sequence privilege; usage covers a serial column or nextval().
    execute 'grant usage on all sequences in schema public to service_role';
    execute 'grant execute on all functions in schema public to service_role';
    -- The migrations' own bookkeeping: the server reads it (app_status), only migrations write it.
    execute 'revoke insert, update, delete on table app_schema_versions from service_role';
    -- Granting and revoking is the migration owner's business, never an API call's.
    execute 'revoke execute on function app_restrict_functions() from service_role';
  end if;
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261201000100') on conflict do nothing;
