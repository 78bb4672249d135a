-- Search that answers in a few milliseconds on the embedded database (docs/search.md, "Speed").
--
-- Measured on 100,000 records in PGlite, a search's time goes mostly to reading rows (about
-- 5 µs each). A common word the planner expected more than 4000 times (past the exact count)
-- still had up to 4001 rows read before the priority walk took over: now it walks at once.
-- And each query word recomputed sound keys the dictionary already holds: now a word the
-- dictionary has takes its stored keys. The same records match, with the same strengths.

create or replace function vinyl_word_matches(p_word text, p_cyrillic boolean default false, p_relaxed boolean default false)
returns table (word text, strength integer)
language sql stable parallel safe as $$
  with exact as (
    select d.word, case when d.word = p_word then 6 else 4 end as strength
      from search_dictionary d where d.word like p_word || '%'
    union all
    select d.word, 6 from search_dictionary d
     where p_cyrillic and d.word = vinyl_spelled_letters(p_word)
  ), keys as (
    -- A word the catalog has keeps its sound keys in the dictionary: computing them costs a few
    -- dozen regular expressions, so only words the catalog lacks (typos, new names) pay for that.
    -- The first key is the default reading, the one a Cyrillic word is read by.
    select coalesce(
             (select case when p_cyrillic then d.sounds[1:1] else d.sounds end
                from search_dictionary d where d.word = p_word and p_word ~ '^[a-z]+$'),
             case when p_cyrillic then array[vinyl_sound_key(p_word)] else vinyl_sound_keys(p_word) end) as keys
  ), heard as (
    -- Spelled like the Cyrillic word means spelled like its Russian reading: English u between
    -- consonants is а («панк» is punk, not pink).
    select d.word, d.sounds[1] = k.keys[1] as by_default,
           extensions.similarity(case when p_cyrillic then regexp_replace(d.word, '(?<=[^aeiouy])u(?=[^aeiouy])', 'a', 'g')
                                      else d.word end, p_word) as similarity
      from search_dictionary d, keys k
     where d.sounds && k.keys
       and (case when p_cyrillic then d.from_latin else d.from_cyrillic end or not exists (select 1 from exact))
  ), sound as (
    -- Another reading of a spelling (Gees as «джиз») counts only when no word sounds like the
    -- query word read the default way («джаз» is Jazz, not Bee Gees).
    select h.word, case when h.similarity = max(h.similarity) over () then 3 else 2 end as strength
      from heard h
     where p_relaxed or h.by_default or not exists (select 1 from heard where by_default)
  ), typo as (
    select d.word, 1 as strength from search_dictionary d
     where char_length(p_word) >= 4
       and (p_relaxed or (not exists (select 1 from exact) and not exists (select 1 from sound)))
       and d.word operator(extensions.%) p_word
       and extensions.levenshtein(d.word, p_word) <= case when char_length(p_word) >= 7 then 2 else 1 end
  )
  select m.word, max(m.strength)::integer from (
    select * from exact union all select * from sound union all select * from typo
  ) m
  group by m.word
  order by max(m.strength) desc, m.word
  limit 2000
$$;


-- One page of a search: how many records match p_filter (exact up to p_cap, else an estimate)
-- and the page. p_score rates a record's match (sum of the word strengths). The plan is chosen
-- here, not left to the planner, which often misjudges two common words together:
--   * planner expects at most p_cap matches: collect at most p_cap + 1 (id, score, priority)
--     through the word index in one pass; if that is all of them, order those by score, then
--     priority;
--   * many matches (expected, or found past p_cap): a common word, where every match is about as
--     good: walk the priority index until the page is full.
-- (Until 20261203000100 the walk came only past 2 p_cap expected matches: a word expected
-- between p_cap and 2 p_cap matches read p_cap + 1 rows only to find there were more.)
create or replace function catalog_tier(p_filter text, p_score text, p_cap integer, p_limit integer, p_offset integer,
                                        out total bigint, out known boolean, out page jsonb)
language plpgsql volatile set search_path = public, extensions as $$
declare
  v_plan jsonb;
  v_estimate bigint;
begin
  page := '[]'::jsonb;
  execute 'explain (format json) select 1 from records r where ' || p_filter into v_plan;
  v_estimate := (v_plan -> 0 -> 'Plan' ->> 'Plan Rows')::bigint;
  if v_estimate <= p_cap then
    execute format($q$
      with hits as materialized (select r.id, r.priority, %s as score from records r where %s limit %s)
      select (select count(*) from hits),
             (select coalesce(jsonb_agg(record_json(r, false) order by h.score desc, h.priority desc, h.id), '[]')
                from (select * from hits order by score desc, priority desc, id limit %s offset %s) h
                join records r on r.id = h.id)
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
      select coalesce(jsonb_agg(record_json(x.r, false) order by (x.r).priority desc, (x.r).id), '[]')
        from (select r from records r where %s order by r.priority desc, r.id limit %s offset %s) x
    $q$, p_filter, p_limit, p_offset) into page;
    perform set_config('enable_bitmapscan', 'on', true), set_config('enable_seqscan', 'on', true);
  end if;
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261203000100') on conflict do nothing;
