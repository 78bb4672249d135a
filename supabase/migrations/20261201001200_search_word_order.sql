-- A query word's expansion is capped at 2000 dictionary words; without an order the cap kept
-- whichever words the engine met first, so a short prefix on a big catalog matched a different
-- subset on PGlite and on PostgreSQL. Closest first: exact and prefix matches, then the rest,
-- alphabetically.
create or replace function vinyl_expand_word(p_word text, p_transliterated boolean default false) returns text[]
language sql stable parallel safe as $$
  select coalesce(array_agg(word order by word), '{}') from (
    select d.word from search_dictionary d
     where d.word like p_word || '%'
        or (char_length(p_word) >= case when p_transliterated then 3 else 5 end
            and d.phonetic = extensions.dmetaphone(p_word)
            and char_length(d.phonetic) >= case when p_transliterated then 2 else 3 end)
        or (char_length(p_word) >= 4 and d.word operator(extensions.%) p_word
            and extensions.levenshtein(d.word, p_word) <= case when char_length(p_word) >= 7 then 2 else 1 end)
     order by d.word not like p_word || '%', d.word
     limit 2000
  ) matches
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261201001200') on conflict do nothing;
