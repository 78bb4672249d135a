-- Planner statistics for the catalog. Supabase's autovacuum keeps them fresh; embedded PGlite
-- runs no autovacuum, so the server calls this after writes (server/db/statistics-refresher.ts).
-- The search relies on them: it asks the planner how many records a filter matches.
create or replace function app_refresh_statistics() returns void
language plpgsql set search_path = public, extensions as $$
begin
  analyze records;
  analyze search_dictionary;
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261121000600') on conflict do nothing;
