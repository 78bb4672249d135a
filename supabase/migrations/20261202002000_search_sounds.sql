-- Search that finds names the way Russians type them (docs/search.md).
--
-- A query word matches a catalog word in one of these ways, strongest first:
--   exactly, after transliteration («кино» = kino = Кино);
--   as a prefix (floy → floyd);
--   by sound: both have a sound key in common, so a Russian transcription of an English name
--     («квин», «майкл джексон») or another Latin transliteration of a Russian one (Pugachova,
--     Vysotskij) meets the catalog's spelling. A query word is compared by sound with the catalog
--     words written in the other alphabet always ("rock" finds «Рок», «рок» finds Rock), and with
--     those of its own alphabet only when nothing matches it exactly or as a prefix, so "love"
--     does not drag in "live" and «кино» not Queen;
--   by a small typo (trigram + Levenshtein), only for a word nothing else matched.
-- A record must match every query word; results are ordered by the sum of the match strengths,
-- then by the priority score. Genres and labels are searchable words too.

-- The sound key rules, in the order they apply (shared/search-sound.ts holds the same list; a
-- test compares the two functions on the whole vocabulary). Capitals mark sounds Latin has no
-- single letter for: S ш/sh, C ч/ch, J дж/ж/j; A is a leading vowel.
create or replace function vinyl_sound_key(p_word text) returns text
language plpgsql immutable parallel safe as $$
declare
  c_rules constant text[] := array[
    ['ouis$', 'ui'], ['shch|shh|sch', 'S'], ['tch', 'C'], ['dzh|dj|dg(?=[eiy])', 'J'], ['zh', 'J'],
    ['ch(?=[rl])', 'k'], ['ch', 'C'], ['sh', 'S'], ['kh', 'h'], ['ph', 'f'], ['th', 't'], ['ck', 'k'],
    ['qu', 'kv'], ['q', 'k'], ['x', 'ks'], ['^who', 'ho'], ['^wh', 'v'], ['^gh', 'g'], ['gh', ''],
    ['^kn|kn(?=ow)', 'n'], ['^wr', 'r'], ['alk', 'ak'], ['(?<=[aeiouy])sion', 'Jn'], ['sion|tion', 'Sn'],
    ['(?<=[aeiou])sur', 'Jur'], ['c(?=[eiy])', 's'], ['c', 'k'], ['^j', 'J'], ['j', ''],
    ['w(?=[aeiouy])', 'v'], ['w', ''], ['(?<![gqy])u(?=[aio]|e.)', 'v'], ['h(?![aeiouy])', ''],
    ['z', 's']];
  v_key text := p_word;
begin
  for i in 1 .. array_length(c_rules, 1) loop
    v_key := regexp_replace(v_key, c_rules[i][1], c_rules[i][2], 'g');
  end loop;
  v_key := regexp_replace(regexp_replace(v_key, '^[aeiouy]+', 'A'), '[aeiouy]', '', 'g');
  return regexp_replace(v_key, '(.)\1+', '\1', 'g');
end
$$;

-- Every sound key of a normalised word: the default reading first, then the other readings a
-- spelling may have (ch as к or ш, g before e/i/y as дж, a leading j as й, au as ав, th as з,
-- c as ц),
-- each kept when it differs and is at least two sounds long. Words with digits have none.
create or replace function vinyl_sound_keys(p_word text) returns text[]
language plpgsql immutable parallel safe as $$
declare
  c_variants constant text[] := array[
    ['ch', 'k'], ['ch', 'sh'], ['g(?=[eiy])', 'dzh'], ['^j', 'y'], ['au', 'av'], ['th', 'z'], ['c', 'ts']];
  v_keys text[];
  v_key text;
begin
  if p_word !~ '^[a-z]+$' then
    return '{}';
  end if;
  v_key := vinyl_sound_key(p_word);
  v_keys := case when v_key = '' then '{}' else array[v_key] end;
  for i in 1 .. array_length(c_variants, 1) loop
    continue when p_word !~ c_variants[i][1];
    v_key := vinyl_sound_key(regexp_replace(p_word, c_variants[i][1], c_variants[i][2], 'g'));
    if char_length(v_key) >= 2 and not v_key = any(v_keys) then
      v_keys := v_keys || v_key;
    end if;
  end loop;
  return v_keys;
end
$$;

-- A Cyrillic word that spells Latin letters by their English names: «эйси» = AC, «диси» = DC,
-- «бибиси» = BBC, «эм» = M (Boney M.). Null unless the whole word is letter names.
create or replace function vinyl_spelled_letters(p_word text) returns text
language sql immutable parallel safe as $$
  select case when string_agg(m[1], '' order by n) = p_word then
    string_agg(case m[1]
      when 'ey' then 'a' when 'ei' then 'a' when 'bi' then 'b' when 'si' then 'c' when 'di' then 'd'
      when 'i' then 'e' when 'ef' then 'f' when 'dzhi' then 'g' when 'eych' then 'h' when 'eich' then 'h'
      when 'ay' then 'i' when 'ai' then 'i' when 'dzhey' then 'j' when 'dzhei' then 'j' when 'key' then 'k'
      when 'kei' then 'k' when 'el' then 'l' when 'em' then 'm' when 'en' then 'n' when 'ou' then 'o'
      when 'o' then 'o' when 'pi' then 'p' when 'kyu' then 'q' when 'ar' then 'r' when 'es' then 's'
      when 'ti' then 't' when 'yu' then 'u' when 'vi' then 'v' when 'eks' then 'x' when 'iks' then 'x'
      when 'uay' then 'y' when 'uai' then 'y' when 'zed' then 'z' when 'zi' then 'z' end, '' order by n)
  end
  from regexp_matches(p_word,
    'dzhey|dzhei|dzhi|eych|eich|zed|kyu|uay|uai|eks|iks|key|kei|ey|ei|bi|si|di|ef|ay|ai|el|em|en|ou|pi|ar|es|ti|yu|vi|zi|i|o',
    'g') with ordinality as t(m, n)
$$;

-- Words that carry no meaning in a name: English articles and their Russian spelling («зе», «э»),
-- "and" and the Russian «и» («саймон и гарфанкел» = Simon & Garfunkel).
create or replace function vinyl_is_stop_word(p_word text) returns boolean
language sql immutable parallel safe as $$
  select p_word in ('the', 'a', 'an', 'ze', 'e', 'and', 'i')
$$;

-- The words of a query in order, each once, with whether it was typed in Cyrillic; at most
-- p_max words so a pasted paragraph cannot make an expensive query.
create or replace function vinyl_query_terms(p_query text, p_max integer default 6)
returns table (word text, cyrillic boolean)
language sql stable parallel safe as $$
  select w, bool_or(cyr) from (
    select replace(vinyl_normalize(token), ' ', '') as w, token ~ '[А-Яа-яЁё]' as cyr, pos
      from regexp_split_to_table(btrim(coalesce(p_query, '')), '\s+') with ordinality as t(token, pos)
  ) tokens
  where w <> '' and not vinyl_is_stop_word(w)
  group by w
  order by min(pos)
  limit p_max
$$;

-- Each dictionary word keeps its sound keys and where it came from: Cyrillic text (its Latin
-- spelling is a transliteration, a guess) or Latin text (a spelling as written).
alter table search_dictionary
  add column sounds text[] not null default '{}',
  add column from_cyrillic boolean not null default false,
  add column from_latin boolean not null default false;
create index search_dictionary_sounds_idx on search_dictionary using gin (sounds) with (fastupdate = off);
-- Double metaphone is English-only and joined «кино» with Queen: the sound keys replace it.
drop index search_dictionary_phonetic_idx;

-- The search words of the Cyrillic part of a text ('{}' when it has none).
create or replace function vinyl_cyrillic_words(p_text text) returns text[]
language sql stable parallel safe as $$
  select case when p_text ~ '[А-Яа-яЁё]'
    then vinyl_record_words(regexp_replace(p_text, '[^А-Яа-яЁё]+', ' ', 'g')) else '{}' end
$$;

-- The dictionary words one query word stands for, with the strength of each match: 6 exact,
-- 4 prefix, 3 sound match spelled most like the query word (zeplin: Zeppelin before «Сплин»;
-- madona: Madonna before Maiden), 2 other sound match, 1 typo (see the top of this file).
-- Closest first, at most 2000. p_relaxed (a search's second try, when the first found nothing)
-- takes every reading and every typo: «би джиз» is Bee Gees although «джиз» reads as jazz.
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
    select case when p_cyrillic then array[vinyl_sound_key(p_word)] else vinyl_sound_keys(p_word) end as keys
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

-- Kept for the demand matcher (demand_match): every word a query word stands for.
create or replace function vinyl_expand_word(p_word text, p_transliterated boolean default false) returns text[]
language sql stable parallel safe as $$
  select coalesce(array_agg(m.word order by m.word), '{}') from vinyl_word_matches(p_word, p_transliterated) m
$$;

-- Catalog side: genre and label are searchable words too («джаз», "harvest", «мелодия»).
create or replace function records_derive() returns trigger
language plpgsql set search_path = public, extensions as $$
begin
  -- Words and slug are the costly part: skip them when an update leaves their inputs alone.
  if tg_op = 'INSERT' or (new.artist, new.title, new.year, new.genre, new.label)
                         is distinct from (old.artist, old.title, old.year, old.genre, old.label) then
    new.search_words := vinyl_record_words(new.artist, new.title, new.year::text, new.genre, new.label);
  end if;
  if tg_op = 'INSERT' or (new.artist, new.title, new.year) is distinct from (old.artist, old.title, old.year) then
    new.slug := vinyl_slug(new.artist, new.title, new.year);
  end if;
  if tg_op = 'INSERT' or new.description is distinct from old.description then
    new.description_excerpt := vinyl_excerpt(new.description);
  end if;
  new.priority := vinyl_priority(new.status, new.created_at, new.preorder_count, new.condition, new.description);
  if tg_op = 'UPDATE' then
    new.updated_at := now();
  end if;
  return new;
end
$$;

create or replace function records_index_words() returns trigger
language plpgsql set search_path = public, extensions as $$
declare
  v_cyrillic text[];
begin
  if tg_op = 'UPDATE' and new.search_words = old.search_words then
    return null;
  end if;
  -- Most records bring no new word: then nothing else is computed. A word's alphabet is the one
  -- it first came in (one spelling from both is rare: it matches exactly either way).
  if not exists (select 1 from unnest(new.search_words) as w
                  where not exists (select 1 from search_dictionary d where d.word = w)) then
    return null;
  end if;
  v_cyrillic := vinyl_cyrillic_words(concat_ws(' ', new.artist, new.title, new.genre, new.label));
  -- Sound keys cost a few dozen regular expressions: only for the new words.
  insert into search_dictionary (word, sounds, from_cyrillic, from_latin)
  select w, vinyl_sound_keys(w), w = any(v_cyrillic), not w = any(v_cyrillic) from unnest(new.search_words) as w
   where not exists (select 1 from search_dictionary d where d.word = w)
  on conflict (word) do nothing;
  return null;
end
$$;

-- Existing records get the new words. Only a derived column changes: no other trigger has
-- anything to do (no new version for caches, no sheet or AI work, updated_at stays).
alter table records disable trigger user;
update records set search_words = vinyl_record_words(artist, title, year::text, genre, label);
alter table records enable trigger user;
insert into search_dictionary (word)
select distinct w from records, unnest(search_words) as w
on conflict (word) do nothing;
with origins as (
  select w, bool_or(w = any(c)) as cyr, bool_or(not w = any(c)) as lat
    from (select search_words, vinyl_cyrillic_words(concat_ws(' ', artist, title, genre, label)) as c from records) r,
         unnest(r.search_words) as w
   group by w
)
update search_dictionary d set from_cyrillic = o.cyr, from_latin = o.lat from origins o where o.w = d.word;
update search_dictionary set sounds = vinyl_sound_keys(word);

-- One page of a search: how many records match p_filter (exact up to p_cap, else an estimate)
-- and the page. p_score rates a record's match (sum of the word strengths). The plan is chosen
-- here, not left to the planner, which often misjudges two common words together:
--   * planner expects few matches: collect at most p_cap + 1 (id, score, priority) through the
--     word index in one pass; if that is all of them, order those by score, then priority;
--   * many matches (expected, or found past p_cap): a common word, where every match is about as
--     good: walk the priority index until the page is full.
drop function catalog_tier(text, integer, integer, integer);
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
  if v_estimate <= p_cap * 2 then
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

-- Search, filter and page the catalog. p_statuses lists the statuses to show ('deleted' never is).
-- Totals are exact up to 4000 matches; past that, total is the planner's estimate and
-- total_exact is false, as Elasticsearch's track_total_hits does. Filter values are spliced in
-- as quoted literals (format %L) so the planner sees them. volatile: Postgres refuses EXPLAIN
-- inside stable functions.
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

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202002000') on conflict do nothing;
