-- Search reads less (docs/search.md, "Speed").
--
-- Measured on 100,000 records in PGlite, nearly all of a search's time went to two things:
--   * reading every matching row of `records` (about 3 us a row) to count the matches and score
--     them, including rows not on sale that the filter then dropped;
--   * building each shown record's public JSON (record_json: to_jsonb of 30 columns, then two
--     jsonb rebuilds), about 0.12 ms a record: 6-8 ms of every page of 50.
-- Now search reads `record_search`, the few columns it filters, scores and orders by, for live
-- records only (a row of about 150 bytes against 480 in `records` without a description, and
-- several kilobytes with one). The public search (records on sale) has a word index of its own,
-- so it reads no row of a record not on sale. A page joins 50 ready-made `record_cards`.
-- Statement triggers keep both tables in step with `records` in the same transaction.
-- A migration that changes record_json(r, false) must refresh the cards (the backfill below);
-- test/catalog/search-tables.test.ts compares both tables with `records` after every kind of write.

create table if not exists record_cards (
  record_id uuid primary key references records (id) on delete cascade,
  card jsonb not null
);

create table if not exists record_search (
  id uuid primary key references records (id) on delete cascade,
  status text not null,
  priority integer not null,
  genre text,
  year integer,
  price numeric(12, 2),
  search_words text[] not null
);
-- Not one index on (status, words) through btree_gin: GIN then decodes the whole list of
-- 'available' (most of the catalog) for every search, 37 ms for a two-word search with 6 matches.
create index if not exists record_search_on_sale_words_idx on record_search using gin (search_words) with (fastupdate = off)
  where status = 'available';
create index if not exists record_search_words_idx on record_search using gin (search_words) with (fastupdate = off);
create index if not exists record_search_listing_idx on record_search (status, priority desc, id);
create index if not exists record_search_priority_idx on record_search (priority desc, id);
create index if not exists record_search_genre_idx on record_search (lower(genre));

-- Only the service role (BYPASSRLS) reads them; a grant given by mistake shows no row.
alter table record_cards enable row level security;
alter table record_search enable row level security;

create or replace function record_search_keep() returns trigger
language plpgsql as $$
begin
  insert into record_cards (record_id, card)
    select c.id, record_json(c, false) from changed c
  on conflict (record_id) do update set card = excluded.card
    where record_cards.card is distinct from excluded.card;

  insert into record_search (id, status, priority, genre, year, price, search_words)
    select c.id, c.status, c.priority, c.genre, c.year, c.price, coalesce(c.search_words, '{}')
      from changed c where c.deleted_at is null and c.status <> 'deleted'
  on conflict (id) do update
    set status = excluded.status, priority = excluded.priority, genre = excluded.genre,
        year = excluded.year, price = excluded.price, search_words = excluded.search_words
    where (record_search.status, record_search.priority, record_search.genre, record_search.year,
           record_search.price, record_search.search_words)
          is distinct from (excluded.status, excluded.priority, excluded.genre, excluded.year,
                            excluded.price, excluded.search_words);
  delete from record_search s
   using changed c
   where s.id = c.id and (c.deleted_at is not null or c.status = 'deleted');
  return null;
end
$$;

drop trigger if exists records_search_insert on records;
create trigger records_search_insert after insert on records
  referencing new table as changed for each statement execute function record_search_keep();
drop trigger if exists records_search_update on records;
create trigger records_search_update after update on records
  referencing new table as changed for each statement execute function record_search_keep();

insert into record_cards (record_id, card)
  select r.id, record_json(r, false) from records r
on conflict (record_id) do update set card = excluded.card;
insert into record_search (id, status, priority, genre, year, price, search_words)
  select r.id, r.status, r.priority, r.genre, r.year, r.price, coalesce(r.search_words, '{}')
    from records r where r.deleted_at is null and r.status <> 'deleted'
on conflict (id) do nothing;
analyze record_cards;
analyze record_search;

-- catalog_search as in 20261202002000, on record_search (live records only).
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
  v_base text := format('r.status = any(%L::text[])', p_statuses);
  v_filter text;
  v_score text;
  v_relaxed boolean;
  v_empty boolean;
  v_term record;
  v_words text[];
  v_exact text[];
  v_prefix text[];
  v_sound_best text[];
  v_sound text[];
  v_tier record;
  v_result jsonb := jsonb_build_object('total', 0, 'total_exact', true, 'records', '[]'::jsonb);
begin
  if p_genre is not null then v_base := v_base || format(' and lower(r.genre) = lower(%L)', p_genre); end if;
  if p_year_min is not null then v_base := v_base || format(' and r.year >= %s', p_year_min); end if;
  if p_year_max is not null then v_base := v_base || format(' and r.year <= %s', p_year_max); end if;
  if p_price_min is not null then v_base := v_base || format(' and r.price >= %L::numeric', p_price_min); end if;
  if p_price_max is not null then v_base := v_base || format(' and r.price <= %L::numeric', p_price_max); end if;

  -- First strictly; when that finds nothing, once more with every reading and typo.
  foreach v_relaxed in array array[false, true] loop
    v_filter := v_base;
    v_score := '0';
    v_empty := false;
    for v_term in select * from vinyl_query_terms(p_search) loop
      select array_agg(m.word),
             array_agg(m.word) filter (where m.strength = 6), array_agg(m.word) filter (where m.strength = 4),
             array_agg(m.word) filter (where m.strength = 3), array_agg(m.word) filter (where m.strength = 2)
        into v_words, v_exact, v_prefix, v_sound_best, v_sound
        from vinyl_word_matches(v_term.word, v_term.cyrillic, v_relaxed) m;
      if v_words is null then
        v_empty := true;
        exit;
      end if;
      v_filter := v_filter || format(' and r.search_words && %L::text[]', v_words);
      -- The record's strength for this word: its strongest match (a typo when none of these).
      v_score := v_score || format(' + case when r.search_words && %L::text[] then 6'
                                   ' when r.search_words && %L::text[] then 4'
                                   ' when r.search_words && %L::text[] then 3'
                                   ' when r.search_words && %L::text[] then 2 else 1 end',
                                   coalesce(v_exact, '{}'), coalesce(v_prefix, '{}'),
                                   coalesce(v_sound_best, '{}'), coalesce(v_sound, '{}'));
    end loop;
    if not v_empty then
      select * into v_tier from catalog_tier(v_filter, v_score, c_cap, v_limit, v_offset);
      v_result := jsonb_build_object('total', v_tier.total, 'total_exact', v_tier.known, 'records', v_tier.page);
      exit when v_tier.total > 0;
    end if;
  end loop;
  return v_result;
end
$$;


-- catalog_tier as in 20261203000100, on record_search, its pages made of cards.
create or replace function catalog_tier(p_filter text, p_score text, p_cap integer, p_limit integer, p_offset integer,
                                        out total bigint, out known boolean, out page jsonb)
language plpgsql volatile set search_path = public, extensions as $$
declare
  v_plan jsonb;
  v_estimate bigint;
begin
  page := '[]'::jsonb;
  execute 'explain (format json) select 1 from record_search r where ' || p_filter into v_plan;
  v_estimate := (v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
  if v_estimate <= p_cap then
    execute format($q$
      with hits as materialized (select r.id, r.priority, %s as score from record_search r where %s limit %s)
      select (select count(*) from hits),
             (select coalesce(jsonb_agg(c.card order by h.score desc, h.priority desc, h.id), '[]')
                from (select * from hits order by score desc, priority desc, id limit %s offset %s) h
                join record_cards c on c.record_id = h.id)
    $q$, p_score, p_filter, p_cap + 1, greatest(p_limit, 0), p_offset) into total, page;
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
      select coalesce(jsonb_agg(c.card order by x.priority desc, x.id), '[]')
        from (select r.id, r.priority from record_search r where %s order by r.priority desc, r.id limit %s offset %s) x
        join record_cards c on c.record_id = x.id
    $q$, p_filter, p_limit, p_offset) into page;
    perform set_config('enable_bitmapscan', 'on', true), set_config('enable_seqscan', 'on', true);
  end if;
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261204000100') on conflict do nothing;
