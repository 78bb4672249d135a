-- The catalog's functions: the only way the server reads and writes records.
-- Each returns jsonb so the PGlite transport and supabase-js rpc() hand back the same plain data.

-- The public shape of a record (GET /api/records and /api/records/:id).
-- No SET clause: called once per listed record, it must stay inlinable.
create or replace function record_json(r records, p_full boolean) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'id', r.id, 'number', r.number, 'slug', r.slug,
    'title', r.title, 'artist', r.artist, 'genre', r.genre, 'year', r.year,
    'label', r.label, 'country', r.country, 'condition', r.condition,
    'price', r.price, 'image_url', r.photo_url, 'status', r.status,
    'description', case when p_full then r.description else r.description_excerpt end,
    'seo_title', r.seo_title, 'seo_description', r.seo_description, 'seo_keywords', r.seo_keywords,
    'preorder', jsonb_build_object(
      'minimum', r.preorder_min, 'count', r.preorder_count, 'last_interest_at', r.last_interest_at),
    'created_at', r.created_at, 'updated_at', r.updated_at)
$$;

-- Search, filter and page the catalog. p_statuses lists the statuses to show ('deleted' never is).
--
-- Records whose words match every query word exactly or as a prefix come first; records that
-- match only through typo or sound-alike expansion follow (catalog_tier pages each tier).
-- Totals are exact up to 4000 matches; past that, total is the planner's estimate and
-- total_exact is false, as Elasticsearch's track_total_hits does: counting a common word
-- exactly would read the whole table.
-- Filter values are spliced in as quoted literals (format %L) so the planner sees them.
-- volatile: Postgres refuses EXPLAIN inside stable functions.
create or replace function catalog_search(
  p_search text default null,
  p_genre text default null,
  p_year_min integer default null,
  p_year_max integer default null,
  p_price_min numeric default null,
  p_price_max numeric default null,
  p_statuses text[] default array['available'],
  p_limit integer default 50,
  p_offset integer default 0
) returns jsonb
language plpgsql volatile set search_path = public, extensions as $$
declare
  c_cap constant integer := 4000;
  v_limit integer := least(greatest(coalesce(p_limit, 50), 0), 100);
  v_offset integer := greatest(coalesce(p_offset, 0), 0);
  v_base text := format('r.deleted_at is null and r.status = any(%L::text[]) and r.status <> %L', p_statuses, 'deleted');
  v_word text;
  v_loose text[];
  v_exact text[];
  v_exact_filter text;
  v_loose_filter text;
  v_fuzzy boolean := false;
  v_exact_empty boolean := false;
  v_tier record;
  v_total bigint := 0;
  v_known boolean := true;
  v_page jsonb := '[]'::jsonb;
begin
  if p_genre is not null then v_base := v_base || format(' and lower(r.genre) = lower(%L)', p_genre); end if;
  if p_year_min is not null then v_base := v_base || format(' and r.year >= %s', p_year_min); end if;
  if p_year_max is not null then v_base := v_base || format(' and r.year <= %s', p_year_max); end if;
  if p_price_min is not null then v_base := v_base || format(' and r.price >= %L::numeric', p_price_min); end if;
  if p_price_max is not null then v_base := v_base || format(' and r.price <= %L::numeric', p_price_max); end if;
  v_exact_filter := v_base;
  v_loose_filter := v_base;

  foreach v_word in array vinyl_query_words(p_search) loop
    v_loose := vinyl_expand_word(v_word, p_search ~ '[А-Яа-яЁё]');
    if cardinality(v_loose) = 0 then
      return jsonb_build_object('total', 0, 'total_exact', true, 'records', '[]'::jsonb);
    end if;
    v_exact := array(select w from unnest(v_loose) w where w like v_word || '%');
    v_fuzzy := v_fuzzy or cardinality(v_exact) < cardinality(v_loose);
    v_exact_empty := v_exact_empty or cardinality(v_exact) = 0;
    v_loose_filter := v_loose_filter || format(' and r.search_words && %L::text[]', v_loose);
    v_exact_filter := v_exact_filter || format(' and r.search_words && %L::text[]', v_exact);
  end loop;

  if not v_exact_empty then
    select * into v_tier from catalog_tier(v_exact_filter, c_cap, v_limit, v_offset);
    v_total := v_tier.total;
    v_known := v_tier.known;
    v_page := v_tier.page;
  end if;
  -- Past the cap the exact tier alone fills every page anyone reads: no fuzzy tier.
  if v_fuzzy and v_known then
    select * into v_tier from catalog_tier(
      v_loose_filter || case when v_exact_empty then '' else ' and not (' || v_exact_filter || ')' end,
      c_cap, v_limit - jsonb_array_length(v_page), greatest(v_offset - v_total, 0)::integer);
    v_total := v_total + v_tier.total;
    v_known := v_tier.known;
    v_page := v_page || v_tier.page;
  end if;
  return jsonb_build_object('total', v_total, 'total_exact', v_known, 'records', v_page);
end
$$;

-- One tier of a search: how many records match p_filter (exact up to p_cap, else an estimate)
-- and one page of them in priority order. The plan is chosen here, not left to the planner,
-- which often misjudges two common words together (they are rarely independent):
--   * planner expects few matches: collect at most p_cap + 1 (id, priority) pairs through the
--     word index in one pass; if that is all of them, count and sort those, then fetch the page;
--   * many matches (expected, or found past p_cap): walk the priority index until the page is
--     full; a dense filter fills it within a few hundred rows.
create or replace function catalog_tier(p_filter text, p_cap integer, p_limit integer, p_offset integer,
                                        out total bigint, out known boolean, out page jsonb)
language plpgsql volatile set search_path = public, extensions as $$
declare
  v_plan jsonb;
  v_estimate bigint;
begin
  page := '[]'::jsonb;
  execute 'explain (format json) select 1 from records r where ' || p_filter into v_plan;
  v_estimate := (v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
  if v_estimate <= p_cap * 2 then
    execute format($q$
      with hits as materialized (select r.id, r.priority from records r where %s limit %s)
      select (select count(*) from hits),
             (select coalesce(jsonb_agg(record_json(r, false) order by h.priority desc, h.id), '[]')
                from (select * from hits order by priority desc, id limit %s offset %s) h
                join records r on r.id = h.id)
    $q$, p_filter, p_cap + 1, greatest(p_limit, 0), p_offset) into total, page;
    known := total <= p_cap;
    if known then
      return;
    end if;
  end if;
  total := greatest(v_estimate, p_cap + 1);
  known := false;
  if p_limit > 0 then
    perform set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true);
    execute format($q$
      select coalesce(jsonb_agg(record_json(x.r, false) order by (x.r).priority desc, (x.r).id), '[]')
        from (select r from records r where %s order by r.priority desc, r.id limit %s offset %s) x
    $q$, p_filter, p_limit, p_offset) into page;
    perform set_config('enable_bitmapscan', 'on', true), set_config('enable_seqscan', 'on', true);
  end if;
end
$$;

-- One record by id (uuid) or short number; null when there is none or it is deleted.
create or replace function catalog_get(p_key text) returns jsonb
language sql stable set search_path = public, extensions as $$
  select record_json(r, true) from records r
   where r.deleted_at is null
     and case
           when p_key ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then r.id = p_key::uuid
           when p_key ~ '^[0-9]{1,9}$' then r.number = p_key::integer
           else false
         end
$$;

-- Insert records given as a JSON array (demo catalog, imports, benchmarks). Every field not
-- given keeps its default; field_sources marks the given catalog fields as the admin's.
create or replace function records_import(p_records jsonb, p_source text default 'admin') returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_count integer;
begin
  if jsonb_typeof(p_records) <> 'array' then
    raise exception 'p_records must be a JSON array' using errcode = '22023';
  end if;
  insert into records (id, title, artist, genre, year, label, country, condition, price, photo_url,
                       seller_telegram_id, status, description, seo_title, seo_description, seo_keywords,
                       preorder_min, preorder_count, last_interest_at, field_sources, created_at)
  select coalesce(x.id, gen_random_uuid()), x.title, x.artist, x.genre, x.year, x.label, x.country,
         x.condition, x.price, x.photo_url, x.seller_telegram_id, coalesce(x.status, 'available'),
         x.description, x.seo_title, x.seo_description, x.seo_keywords, coalesce(x.preorder_min, 10),
         coalesce(x.preorder_count, 0), x.last_interest_at,
         (select coalesce(jsonb_object_agg(k, p_source), '{}') from jsonb_object_keys(e) k
           where k in ('title', 'artist', 'genre', 'year', 'label', 'country', 'condition', 'price',
                       'photo_url', 'description', 'seo_title', 'seo_description', 'seo_keywords')),
         coalesce(x.created_at, now())
    from jsonb_array_elements(p_records) e,
         jsonb_to_record(e) as x(id uuid, title text, artist text, genre text, year integer, label text,
           country text, condition text, price numeric, photo_url text, seller_telegram_id bigint,
           status text, description text, seo_title text, seo_description text, seo_keywords text,
           preorder_min integer, preorder_count integer, last_interest_at timestamptz, created_at timestamptz)
  on conflict (id) do nothing;
  get diagnostics v_count = row_count;
  return jsonb_build_object('inserted', v_count);
end
$$;

-- Soft delete: hidden everywhere, history kept; the status it had is kept for a restore.
create or replace function records_soft_delete(p_id uuid) returns boolean
language sql set search_path = public, extensions as $$
  with gone as (
    update records set deleted_at = now(), status_before_delete = status, status = 'deleted'
     where id = p_id and deleted_at is null
    returning 1)
  select exists (select 1 from gone)
$$;

-- Count a person's interest in a record once, atomically (demand aggregation's counter).
create or replace function record_register_interest(p_record_id uuid, p_participant text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_added boolean;
  v_count integer;
begin
  insert into record_participants (record_id, participant) values (p_record_id, p_participant)
  on conflict do nothing;
  v_added := found;
  if v_added then
    update records set preorder_count = preorder_count + 1, last_interest_at = now()
     where id = p_record_id returning preorder_count into v_count;
  else
    select preorder_count into v_count from records where id = p_record_id;
  end if;
  return jsonb_build_object('record_id', p_record_id, 'added', v_added, 'preorder_count', v_count);
end
$$;

-- What /health and start-up need: the schema version and how big the catalog is.
create or replace function app_status() returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    'schema_version', (select max(version) from app_schema_versions),
    'records', (select count(*) from records where deleted_at is null))
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261121000300') on conflict do nothing;
