-- The website's read of the catalog (server/site/site-catalog.ts), five times cheaper: the same
-- records and fields as 20261202004000_site_records.sql, but as json built from the columns the
-- public record has (record_json's shape: test/site/site-records.test.ts compares the two) rather
-- than record_json's jsonb per row, and unordered: sorting 10,000 rows with their descriptions cost
-- more than the rest of the query, and the reader orders them itself by (priority desc, id).
-- The full export of a 10,000-record catalog reads them all at once; an edit reads one row.
drop function if exists site_records(timestamptz);
create function site_records(p_since timestamptz default null) returns json
language sql stable set search_path = public, extensions as $$
  select json_build_object(
    -- The reader's next p_since. Transaction start, not the clock: a write committed after this
    -- read but stamped earlier is caught by the reader's overlap (server/site/site-catalog.ts).
    'as_of', now(),
    'records', coalesce(json_agg(x), '[]'::json))
    from (select r.id, r.number, r.slug, r.title, r.artist, r.genre, r.year, r.label, r.country, r.condition,
                 r.price, r.photo_url as image_url, r.status, r.description, r.seo_title, r.seo_description,
                 r.seo_keywords, r.created_at, r.updated_at,
                 json_build_object('minimum', r.preorder_min, 'count', r.preorder_count,
                                   'last_interest_at', r.last_interest_at) as preorder,
                 r.priority, r.deleted_at is not null or r.status = 'deleted' as deleted
            from records r
           where (p_since is null and r.deleted_at is null and r.status <> 'deleted')
              or (p_since is not null and r.updated_at > p_since)) x
$$;

-- An edit's rebuild reads the rows changed since the last read: found by index, not by a scan.
create index if not exists records_updated_at on records (updated_at);

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261203002000') on conflict do nothing;
