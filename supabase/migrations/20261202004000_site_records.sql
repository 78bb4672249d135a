-- The store website's data (server/site): every public record with its full description in one
-- call, in the catalog's order, so the site renders its pages from one snapshot (served pages and
-- the static export alike). With p_since it returns only the records changed after that moment,
-- deleted ones included (marked), so a rebuild after one sheet edit reads one row, not the catalog.
create or replace function site_records(p_since timestamptz default null) returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    -- The reader's next p_since. Transaction start, not the clock: a write committed after this
    -- read but stamped earlier is caught by the reader's overlap (server/site/site-catalog.ts).
    'as_of', now(),
    'records', coalesce(jsonb_agg(
      record_json(r, true) || jsonb_build_object('priority', r.priority, 'deleted', r.deleted_at is not null or r.status = 'deleted')
      order by r.priority desc, r.id), '[]'::jsonb))
    from records r
   where (p_since is null and r.deleted_at is null and r.status <> 'deleted')
      or (p_since is not null and r.updated_at > p_since)
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202004000') on conflict do nothing;
