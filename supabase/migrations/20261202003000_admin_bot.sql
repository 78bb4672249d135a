-- The admin's side of the Telegram bot (issue 9): conversations that survive a restart, and the
-- photos of records with their perceptual hashes (duplicate check).

-- One open conversation (a wizard, a pending confirmation) per admin chat. `session` is a short
-- random id carried in the conversation's buttons: a button of an older conversation is known as
-- out of date. Abandoned conversations expire (the bot reads only live ones).
create table if not exists admin_conversations (
  chat_id bigint primary key,
  flow text not null check (length(flow) between 1 and 40),
  session text not null check (length(session) between 1 and 16),
  step text not null check (length(step) between 1 and 40),
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  updated_at timestamptz not null default now(),
  expires_at timestamptz not null
);

create or replace function admin_conversation_get(p_chat_id bigint) returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object('flow', c.flow, 'session', c.session, 'step', c.step, 'data', c.data, 'updated_at', c.updated_at)
    from admin_conversations c
   where c.chat_id = p_chat_id and c.expires_at > now()
$$;

create or replace function admin_conversation_save(p_chat_id bigint, p_flow text, p_session text, p_step text, p_data jsonb, p_ttl_seconds integer)
returns void
language plpgsql set search_path = public, extensions as $$
begin
  if p_ttl_seconds is null or p_ttl_seconds < 1 or p_ttl_seconds > 7 * 86400 then
    raise exception 'ttl out of range: %', p_ttl_seconds using errcode = '22023', hint = 'ttl_seconds';
  end if;
  insert into admin_conversations (chat_id, flow, session, step, data, updated_at, expires_at)
  values (p_chat_id, p_flow, p_session, p_step, coalesce(p_data, '{}'::jsonb), now(), now() + make_interval(secs => p_ttl_seconds))
  on conflict (chat_id) do update
    set flow = excluded.flow, session = excluded.session, step = excluded.step, data = excluded.data,
        updated_at = excluded.updated_at, expires_at = excluded.expires_at;
end
$$;

create or replace function admin_conversation_clear(p_chat_id bigint) returns void
language sql set search_path = public, extensions as $$
  -- Expired conversations of any chat go too: nobody reads them again.
  delete from admin_conversations where chat_id = p_chat_id or expires_at <= now();
$$;

-- A record's photos: where each is stored, and its 64-bit difference hash (dHash) as a bigint, so
-- a near-copy is found by Hamming distance (bit_count of the XOR).
create table if not exists record_photos (
  id bigint generated always as identity primary key,
  record_id uuid not null references records (id),
  position integer not null check (position between 0 and 99),
  phash bigint not null,
  original_url text not null check (length(original_url) <= 2000),
  cover_url text not null check (length(cover_url) <= 2000),
  thumb_url text not null check (length(thumb_url) <= 2000),
  created_at timestamptz not null default now(),
  unique (record_id, position)
);
create index if not exists record_photos_record on record_photos (record_id);

-- Photos of live records within p_max_distance bits of p_hash, nearest first.
create or replace function record_photo_matches(p_hash bigint, p_max_distance integer) returns jsonb
language sql stable set search_path = public, extensions as $$
  select coalesce(jsonb_agg(m order by m.distance, m.number, m.position), '[]'::jsonb)
    from (
      select r.id as record_id, r.number, r.title, r.artist, p.position, p.thumb_url, p.cover_url,
             bit_count((p.phash # p_hash)::bit(64))::integer as distance
        from record_photos p join records r on r.id = p.record_id
       where r.deleted_at is null and bit_count((p.phash # p_hash)::bit(64)) <= p_max_distance
       order by distance, r.number, p.position
       limit 5
    ) m
$$;

-- Adds photos (each {phash, original_url, cover_url, thumb_url}) after the record's existing ones.
create or replace function record_photos_add(p_record_id uuid, p_photos jsonb) returns integer
language plpgsql set search_path = public, extensions as $$
declare
  v_next integer;
  v_count integer;
begin
  if jsonb_typeof(p_photos) is distinct from 'array' then
    raise exception 'p_photos must be a JSON array' using errcode = '22023', hint = 'photos';
  end if;
  perform 1 from records where id = p_record_id and deleted_at is null for update;
  if not found then return 0; end if;
  select coalesce(max(position) + 1, 0) into v_next from record_photos where record_id = p_record_id;
  insert into record_photos (record_id, position, phash, original_url, cover_url, thumb_url)
  select p_record_id, v_next + (e.ord - 1)::integer, (e.photo ->> 'phash')::bigint, e.photo ->> 'original_url',
         e.photo ->> 'cover_url', e.photo ->> 'thumb_url'
    from jsonb_array_elements(p_photos) with ordinality e(photo, ord);
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- The catalog's genres, most used first: the wizard's genre buttons.
create or replace function catalog_genres(p_limit integer) returns jsonb
language sql stable set search_path = public, extensions as $$
  select coalesce(jsonb_agg(g.genre order by g.n desc, g.genre), '[]'::jsonb)
    from (select r.genre, count(*) as n from records r
           where r.deleted_at is null and r.genre is not null
           group by r.genre order by n desc, r.genre limit least(greatest(p_limit, 1), 50)) g
$$;

-- The record card's edits (price, condition, genre, year) from the bot: the admin's fields, written
-- like a sheet edit (field_sources 'admin', the records_check trigger's rules) and sent to the
-- sheet's row through the outbox. Null when there is no such live record.
create or replace function admin_update_fields(p_id uuid, p_fields jsonb) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_keys text[];
  v_set jsonb;
begin
  if jsonb_typeof(p_fields) is distinct from 'object' then
    raise exception 'p_fields must be a JSON object' using errcode = '22023', hint = 'fields';
  end if;
  select array_agg(k order by k) into v_keys from jsonb_object_keys(p_fields) k;
  if v_keys is null or not (v_keys <@ array['price', 'condition', 'genre', 'year']) then
    raise exception 'only price, condition, genre and year can be edited here' using errcode = '22023', hint = 'fields';
  end if;
  perform 1 from records where id = p_id and deleted_at is null for update;
  if not found then return null; end if;
  execute format($q$update records r set (%1$s) = (select %1$s from jsonb_populate_record(r, $2)),
                                         field_sources = r.field_sources || $3
                     where r.id = $1$q$,
                 (select string_agg(quote_ident(k), ', ') from unnest(v_keys) k))
    using p_id, p_fields, (select jsonb_object_agg(k, 'admin'::text) from unnest(v_keys) k);
  select jsonb_object_agg(k, to_jsonb(r) -> k) into v_set from records r, unnest(v_keys) k where r.id = p_id;
  perform sheet_outbox_push('set_fields', 'Справочник', p_id, jsonb_build_object('fields', v_set));
  return v_set;
end
$$;

-- «Tell me when the AI has written it»: a record the admin added from the bot, until its
-- enrichment has finished (or a day has passed).
create table if not exists admin_enrichment_watches (
  record_id uuid primary key references records (id) on delete cascade,
  chat_id bigint not null,
  created_at timestamptz not null default now()
);

create or replace function admin_enrichment_watch(p_record_id uuid, p_chat_id bigint) returns void
language sql set search_path = public, extensions as $$
  insert into admin_enrichment_watches (record_id, chat_id) values (p_record_id, p_chat_id)
  on conflict (record_id) do update set chat_id = excluded.chat_id, created_at = now();
$$;

-- The watches whose record has no queued or running job any more, taken out (each is answered once).
create or replace function admin_enrichment_finished() returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_done jsonb;
begin
  with done as (
    delete from admin_enrichment_watches w
     where w.created_at < now() - interval '1 day'
        or (not exists (select 1 from ai_jobs j where j.record_id = w.record_id and j.state in ('queued', 'running'))
            and exists (select 1 from ai_jobs j where j.record_id = w.record_id and j.state in ('done', 'failed')))
    returning w.record_id, w.chat_id
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'chat_id', d.chat_id, 'record_id', r.id, 'number', r.number, 'title', r.title, 'artist', r.artist,
           'state', (select j.state from ai_jobs j where j.record_id = r.id order by j.id desc limit 1),
           'description', r.description_excerpt, 'label', r.label, 'country', r.country)
         order by r.number), '[]'::jsonb)
    into v_done
    from done d join records r on r.id = d.record_id;
  return v_done;
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202003000') on conflict do nothing;
