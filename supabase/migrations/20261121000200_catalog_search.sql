-- Search a Russian customer can use: case and ё/е insensitive, Cyrillic and Latin alike
-- («пинк флойд» finds Pink Floyd, «битлз» finds The Beatles), tolerant to typos and partial words,
-- articles and punctuation ignored.
--
-- Both the catalog and the query are reduced to transliterated Latin words. Each query word is
-- expanded against search_dictionary (prefix, double-metaphone sound-alike, trigram + Levenshtein
-- typo), and a record matches when its words overlap the expansion of every query word: a GIN
-- overlap per word, so a common word costs an index lookup, not a similarity score for every row.

-- The helpers below run per word and per row, so they carry no SET clause (a SET stops
-- Postgres from inlining a SQL function and makes every call pay for it); they name extension
-- objects by schema instead.

-- Cyrillic to Latin, tuned for matching Western names written in Russian (х -> h, й -> y).
create or replace function vinyl_translit(p_text text) returns text
language sql immutable parallel safe as $$
  select translate(
    replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(p_text,
      'щ', 'shch'), 'ж', 'zh'), 'ц', 'ts'), 'ч', 'ch'), 'ш', 'sh'), 'ю', 'yu'), 'я', 'ya'),
      'ъ', ''), 'ь', ''), 'ё', 'e'),
    'абвгдезийклмнопрстуфхыэ',
    'abvgdeziyklmnoprstufhye')
$$;

-- Lower case, no accents, Latin letters and digits separated by single spaces.
create or replace function vinyl_normalize(p_text text) returns text
language sql stable parallel safe as $$
  select btrim(regexp_replace(
    vinyl_translit(extensions.unaccent('extensions.unaccent'::regdictionary, lower(coalesce(p_text, '')))),
    '[^a-z0-9]+', ' ', 'g'))
$$;

-- Words that carry no meaning in a title or a name: English articles and their Russian spelling.
create or replace function vinyl_is_stop_word(p_word text) returns boolean
language sql immutable parallel safe as $$
  select p_word in ('the', 'a', 'an', 'ze')
$$;

-- Catalog side: every word, plus each punctuated token glued together ("AC/DC" -> ac, dc, acdc).
-- Runs on every insert, so the text is normalized once and split twice.
create or replace function vinyl_record_words(variadic p_parts text[]) returns text[]
language sql stable parallel safe as $$
  select coalesce(array_agg(distinct w) filter (where w <> '' and not vinyl_is_stop_word(w)), '{}')
    from (select vinyl_translit(extensions.unaccent('extensions.unaccent'::regdictionary, lower(array_to_string(p_parts, ' ')))) as s) t,
         lateral (
           select unnest(string_to_array(regexp_replace(t.s, '[^a-z0-9]+', ' ', 'g'), ' '))
           union all
           select regexp_replace(token, '[^a-z0-9]+', '', 'g')
             from regexp_split_to_table(t.s, '\s+') as token
            where token ~ '[a-z0-9][^a-z0-9]+[a-z0-9]'
         ) words(w)
$$;

-- Query side: one word per whitespace-separated token, punctuation glued ("ac/dc" -> acdc),
-- at most p_max words (six for a search) so a pasted paragraph cannot make an expensive query.
create or replace function vinyl_query_words(p_query text, p_max integer default 6) returns text[]
language sql stable parallel safe as $$
  select coalesce((array_agg(w order by first_pos))[1:p_max], '{}') from (
    select w, min(pos) as first_pos from (
      select replace(vinyl_normalize(token), ' ', '') as w, pos
        from regexp_split_to_table(btrim(coalesce(p_query, '')), '\s+') with ordinality as t(token, pos)
    ) tokens
    where w <> '' and not vinyl_is_stop_word(w)
    group by w
  ) words
$$;

-- Dictionary words a query word stands for: partial words, sound-alikes (transliteration
-- and misspelling: bitlz ~ beatles, floid ~ floyd) and small typos (metalica ~ metallica).
-- A word typed in Cyrillic (p_transliterated) has lost its spelling on the way to Latin
-- («дип» is "dip", not "deep"), so its sound-alikes count from three letters on, not five.
create or replace function vinyl_expand_word(p_word text, p_transliterated boolean default false) returns text[]
language sql stable parallel safe as $$
  select coalesce(array_agg(word), '{}') from (
    select d.word from search_dictionary d
     where d.word like p_word || '%'
        or (char_length(p_word) >= case when p_transliterated then 3 else 5 end
            and d.phonetic = extensions.dmetaphone(p_word)
            and char_length(d.phonetic) >= case when p_transliterated then 2 else 3 end)
        or (char_length(p_word) >= 4 and d.word operator(extensions.%) p_word
            and extensions.levenshtein(d.word, p_word) <= case when char_length(p_word) >= 7 then 2 else 1 end)
     limit 2000
  ) matches
$$;

-- Documented ranking (README, "Catalog ordering"): status first, then recency (one point per day),
-- demand (3 points per interested person, capped) and condition/rarity (up to 60 points).
create or replace function vinyl_priority(
  p_status text, p_created_at timestamptz, p_preorder_count integer, p_condition text, p_description text
) returns integer
language sql stable parallel safe as $$
  select (case p_status
            when 'available' then 5 when 'reserved' then 4 when 'procurement' then 3
            when 'search_request' then 2 when 'sold' then 1 else 0 end) * 100000
       + greatest(0, (extract(epoch from p_created_at - timestamptz '2000-01-01 00:00:00+00') / 86400)::integer)
       + least(coalesce(p_preorder_count, 0), 100) * 3
       + case
           when lower(coalesce(p_condition, '')) ~ '(^|[^a-z])(near mint|nm|m-)([^a-z]|$)|отличн' then 30
           when lower(coalesce(p_condition, '')) ~ '(^|[^a-z])(mint|m|sealed)([^a-z]|$)|запечат|нов' then 40
           when lower(coalesce(p_condition, '')) ~ '(vg\+|very good plus|ex|excellent)' then 20
           when lower(coalesce(p_condition, '')) ~ '(^|[^a-z])(vg|very good)([^a-z+]|$)|хорош' then 10
           else 0
         end
       + case when lower(coalesce(p_condition, '') || ' ' || coalesce(p_description, ''))
                   ~ '(original press|first press|1st press|оригинальный пресс|первый пресс|первопресс)'
              then 20 else 0 end
$$;

-- URL slug from artist, title and year, transliterated: pink-floyd-the-wall-1979.
create or replace function vinyl_slug(p_artist text, p_title text, p_year integer) returns text
language sql stable parallel safe as $$
  select left(btrim(regexp_replace(
    vinyl_normalize(concat_ws(' ', p_artist, p_title, p_year::text)), ' ', '-', 'g'), '-'), 120)
$$;

-- Description cut at a word boundary to at most 300 characters, for list pages.
create or replace function vinyl_excerpt(p_text text, p_max integer default 300) returns text
language sql immutable parallel safe as $$
  select case
    when p_text is null or btrim(p_text) = '' then null
    when char_length(btrim(p_text)) <= p_max then btrim(p_text)
    else regexp_replace(left(btrim(p_text), p_max - 1), '\s+\S*$', '') || '…'
  end
$$;

create or replace function records_derive() returns trigger
language plpgsql set search_path = public, extensions as $$
begin
  -- Words and slug are the costly part: skip them when an update leaves their inputs alone.
  if tg_op = 'INSERT' or (new.artist, new.title, new.year) is distinct from (old.artist, old.title, old.year) then
    new.search_words := vinyl_record_words(new.artist, new.title, new.year::text);
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

create trigger records_derive_trg
  before insert or update on records
  for each row execute function records_derive();

create or replace function records_index_words() returns trigger
language plpgsql set search_path = public, extensions as $$
begin
  if tg_op = 'UPDATE' and new.search_words = old.search_words then
    return null;
  end if;
  insert into search_dictionary (word, phonetic)
  select w, coalesce(dmetaphone(w), '') from unnest(new.search_words) as w
   where not exists (select 1 from search_dictionary d where d.word = w)
  on conflict (word) do nothing;
  return null;
end
$$;

create trigger records_index_words_trg
  after insert or update on records
  for each row execute function records_index_words();

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261121000200') on conflict do nothing;
