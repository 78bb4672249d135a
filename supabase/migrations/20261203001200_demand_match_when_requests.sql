-- Adding a record (the bot's wizard, the admin API) first looks for a customers' request of the
-- same title. The look-up expands every word of the title (typos, sound-alikes): about a third
-- of the cost of adding a record (npm run bench:bot), even when there is no open request at all.
-- The same function, which now answers at once when no request is open (an index-only look at
-- records_customer_requests_idx); otherwise unchanged.
create or replace function demand_match_request(p_title text, p_artist text, p_exclude uuid) returns jsonb
language plpgsql stable set search_path = public, extensions as $$
declare
  v_words text[];
  v_key text;
  v_word text;
  v_loose text[];
  v_filter text := $f$r.deleted_at is null and r.status in ('search_request', 'procurement')
                      and r.field_sources ->> 'title' = 'customer'$f$;
  v jsonb;
begin
  if not exists (select 1 from records r
                  where r.deleted_at is null and r.status in ('search_request', 'procurement')
                    and r.field_sources ->> 'title' = 'customer' and r.id is distinct from p_exclude) then
    return null;
  end if;
  v_words := vinyl_query_words(concat_ws(' ', p_artist, p_title), 20);
  v_key := demand_title_key(p_title, p_artist);
  if cardinality(v_words) = 0 then return null; end if;
  foreach v_word in array v_words loop
    v_loose := vinyl_expand_word(v_word);
    if cardinality(v_loose) = 0 then return null; end if;
    v_filter := v_filter || format(' and r.search_words && %L::text[]', v_loose);
  end loop;
  execute format($q$
    select jsonb_build_object('id', r.id, 'number', r.number, 'title', r.title, 'artist', r.artist,
                              'waiting', r.verified_count, 'exact', demand_title_key(r.title, r.artist) = $2)
      from records r
     where %s and r.id is distinct from $3
       and cardinality(vinyl_query_words(concat_ws(' ', r.artist, r.title), 20)) = $1
     order by demand_title_key(r.title, r.artist) = $2 desc, r.verified_count desc, r.number
     limit 1
  $q$, v_filter) into v using cardinality(v_words), v_key, p_exclude;
  return v;
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261203001200') on conflict do nothing;
