-- Demand that counts people, not requests (docs/demand-and-offers.md, "Who counts" and "Limits"):
--   * unverified interest in a title the catalog does not have is kept for the admin in
--     demand_pending: no public record, no AI job, no ranking, until a verified person asks for the
--     title or the admin creates it (any path: API, bot, sheet), which attaches it;
--   * the public pre-order count is the verified count (the demo seed's interest aside);
--   * limits that hold across addresses: per person per day, unverified per title per hour, and
--     hourly budgets for new titles and for unverified interest; the admin is told when one trips;
--   * an admin's or the sheet's new record of a title customers asked for takes their request over
--     instead of leaving them waiting on another record; the admin is asked when the match is loose.

-- A title's identity for exact matching: its words (the catalog's normalisation) in sorted order.
create or replace function demand_title_key(p_title text, p_artist text) returns text
language sql stable set search_path = public, extensions as $$
  select array_to_string(array(select w from unnest(vinyl_query_words(concat_ws(' ', p_artist, p_title), 20)) w order by w), ' ')
$$;

create table demand_pending (
  id uuid primary key default gen_random_uuid(),
  title text not null check (char_length(title) <= 300),
  artist text not null check (char_length(artist) <= 300),
  title_key text not null,
  participant text not null,
  contact text check (char_length(contact) <= 200),
  created_at timestamptz not null default now(),
  -- Set when the title became a record and this interest joined it.
  record_id uuid references records (id) on delete set null,
  joined_at timestamptz
);
create unique index demand_pending_person_title_idx on demand_pending (participant, title_key);
create index demand_pending_title_idx on demand_pending (title_key, created_at) where record_id is null;
create index demand_pending_person_idx on demand_pending (participant, created_at);
alter table demand_pending enable row level security;

create index record_participants_person_idx on record_participants (participant, created_at);

-- Hourly budgets shared by every server instance: the row lock of the hour serialises takers.
create table demand_budget (
  kind text not null,
  hour timestamptz not null,
  used integer not null default 0,
  tripped_at timestamptz,
  primary key (kind, hour)
);
alter table demand_budget enable row level security;

-- Takes one unit of this hour's budget; null when there was one, else the refusal. The first
-- refusal of an hour tells the admin at once.
create or replace function demand_budget_take(p_kind text, p_limit integer) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_hour timestamptz := date_trunc('hour', now());
  v_used integer;
  v_new boolean;
begin
  insert into demand_budget (kind, hour, used) values (p_kind, v_hour, 1)
  on conflict (kind, hour) do update set used = demand_budget.used + 1
  returning used, (xmax = 0) into v_used, v_new;
  if v_new then
    delete from demand_budget where hour < v_hour - interval '2 days';
  end if;
  if v_used <= p_limit then return null; end if;
  update demand_budget set tripped_at = now() where kind = p_kind and hour = v_hour and tripped_at is null;
  if found then
    perform admin_event_add('demand_budget', null,
      format('Лимит «%s» (%s в час) исчерпан: новые запросы отклоняются до конца часа. Похоже на массовую накрутку — проверьте запросы.',
             case p_kind when 'new_title' then 'новые названия' else 'запросы без Telegram' end, p_limit),
      'Проверить запросы', jsonb_build_object('kind', p_kind, 'limit', p_limit), 'now');
  end if;
  return jsonb_build_object('error', 'budget', 'kind', p_kind,
    'retry_after_seconds', ceil(extract(epoch from v_hour + interval '1 hour' - now()))::integer);
end
$$;

-- New interests of one person in the last day (records and pending titles); the demo seed, the
-- system and the admin are not limited.
create or replace function demand_person_refusal(p_participant text, p_source text) returns jsonb
language plpgsql stable set search_path = public, extensions as $$
declare
  v_limit integer := app_setting_int('demand_per_person_per_day', 20);
  v_used integer;
begin
  if p_source not in ('site', 'telegram') then return null; end if;
  select (select count(*) from record_participants where participant = p_participant and created_at > now() - interval '1 day')
       + (select count(*) from demand_pending where participant = p_participant and created_at > now() - interval '1 day')
    into v_used;
  if v_used < v_limit then return null; end if;
  return jsonb_build_object('error', 'person_limit', 'limit', v_limit, 'retry_after_seconds', 3600);
end
$$;

-- preorder_count is now what the public sees and what ranks the catalog: verified people (and the
-- demo seed's made-up ones). Unverified interest stays in the rows for the admin.
create or replace function record_demand_recount(p_record_id uuid, p_touch boolean) returns records
language plpgsql set search_path = public, extensions as $$
declare
  r records;
begin
  update records set
    preorder_count = (select count(*) from record_participants p where p.record_id = p_record_id and p.status <> 'cancelled'
                                                                   and (p.verified or p.source = 'demo')),
    verified_count = (select count(*) from record_participants p where p.record_id = p_record_id and p.status <> 'cancelled' and p.verified),
    last_interest_at = case when p_touch then now() else last_interest_at end
   where id = p_record_id returning * into r;
  return r;
end
$$;

-- The procurement message still tells the admin about unverified interest, apart.
create or replace function record_check_threshold(p_record_id uuid) returns boolean
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  v_trend integer;
  v_total integer;
begin
  update records set status = 'procurement'
   where id = p_record_id and status = 'search_request' and verified_count >= preorder_min
  returning * into r;
  if not found then return false; end if;
  select count(*) filter (where verified and created_at > now() - interval '3 days'), count(*)
    into v_trend, v_total
    from record_participants where record_id = r.id and status <> 'cancelled' and source <> 'demo';
  perform admin_event_add('procurement', r.id,
    format('Спрос: %s подтверждённых (+%s за 3 дня), всего %s', r.verified_count, v_trend, v_total),
    'Найти пластинку и добавить в каталог',
    jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title, 'artist', r.artist, 'year', r.year,
      'price', r.price, 'demand', r.verified_count, 'total_demand', greatest(v_total, r.verified_count), 'trend_3d', v_trend),
    'now');
  return true;
end
$$;

update records r set preorder_count = (select count(*) from record_participants p
                                         where p.record_id = r.id and p.status <> 'cancelled' and (p.verified or p.source = 'demo'))
 where exists (select 1 from record_participants p where p.record_id = r.id and not p.verified and p.source <> 'demo');

-- One person's interest in one record, as before, but at most DEMAND_PER_PERSON_PER_DAY new ones a
-- day per person (the person's advisory lock makes the count exact under concurrency).
create or replace function demand_register(p_record_id uuid, p_participant text, p_verified boolean, p_chat_id bigint,
                                           p_contact text, p_source text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  p record_participants;
  v_refusal jsonb;
  v_added boolean := false;
  v_changed boolean := false;
  v_procurement boolean := false;
begin
  perform pg_advisory_xact_lock(hashtextextended('vinyl:demand-person:' || p_participant, 0));
  select * into r from records where id = p_record_id and deleted_at is null for update;
  if not found then
    return jsonb_build_object('error', 'not_found');
  end if;
  if not exists (select 1 from record_participants where record_id = p_record_id and participant = p_participant) then
    v_refusal := demand_person_refusal(p_participant, p_source);
    if v_refusal is not null then return v_refusal; end if;
    if not coalesce(p_verified, false) and p_source in ('site', 'telegram')
       and (select count(*) from record_participants where record_id = p_record_id and not verified
                                                          and created_at > now() - interval '1 hour')
           >= app_setting_int('demand_unverified_per_title_per_hour', 20) then
      return jsonb_build_object('error', 'title_limit', 'retry_after_seconds', 3600);
    end if;
  end if;
  insert into record_participants (record_id, participant, verified, chat_id, contact, source)
  values (p_record_id, p_participant, coalesce(p_verified, false), p_chat_id, nullif(p_contact, ''), p_source)
  on conflict (record_id, participant) do nothing
  returning * into p;
  if found then
    v_added := true;
  else
    select * into p from record_participants where record_id = p_record_id and participant = p_participant for update;
    if p.status in ('cancelled', 'expired', 'unreachable')
       or (coalesce(p_verified, false) and not p.verified)
       or (p_chat_id is not null and p.chat_id is distinct from p_chat_id)
       or (nullif(p_contact, '') is not null and p.contact is distinct from p_contact) then
      update record_participants set
        status = case when status in ('cancelled', 'expired', 'unreachable') then 'active' else status end,
        verified = verified or coalesce(p_verified, false),
        chat_id = coalesce(p_chat_id, chat_id),
        contact = coalesce(nullif(p_contact, ''), contact),
        updated_at = now()
       where id = p.id returning * into p;
      v_changed := true;
    end if;
  end if;
  if v_added or v_changed then
    -- Unverified interest moves no ranking: the record is touched only for verified people.
    r := record_demand_recount(p_record_id, p.verified);
    v_procurement := record_check_threshold(p_record_id);
    perform record_demand_sheet_push(p_record_id);
    perform preorder_sheet_push(p.id);
    select * into r from records where id = p_record_id;
  end if;
  return jsonb_build_object(
    'record_id', r.id, 'number', r.number, 'title', r.title, 'artist', r.artist, 'record_status', r.status,
    'participant_id', p.id, 'participant_status', p.status, 'verified', p.verified,
    'added', v_added, 'changed', v_changed, 'became_procurement', v_procurement,
    'preorder_count', r.preorder_count, 'verified_count', r.verified_count, 'preorder_min', r.preorder_min);
end
$$;

-- Unverified interest in a title the catalog does not have: kept, nothing public.
create or replace function demand_pending_add(p_title text, p_artist text, p_participant text, p_contact text, p_source text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_key text := demand_title_key(p_title, p_artist);
  v_refusal jsonb;
  v_id uuid;
begin
  select id into v_id from demand_pending where participant = p_participant and title_key = v_key;
  if found then
    return jsonb_build_object('pending', true, 'pending_id', v_id, 'added', false, 'verified', false, 'preorder_count', 0);
  end if;
  v_refusal := demand_person_refusal(p_participant, p_source);
  if v_refusal is not null then return v_refusal; end if;
  if (select count(*) from demand_pending where title_key = v_key and record_id is null and created_at > now() - interval '1 hour')
     >= app_setting_int('demand_unverified_per_title_per_hour', 20) then
    return jsonb_build_object('error', 'title_limit', 'retry_after_seconds', 3600);
  end if;
  insert into demand_pending (title, artist, title_key, participant, contact)
  values (btrim(p_title), btrim(p_artist), v_key, p_participant, nullif(p_contact, ''))
  on conflict (participant, title_key) do nothing
  returning id into v_id;
  return jsonb_build_object('pending', true, 'pending_id', v_id, 'added', v_id is not null, 'verified', false, 'preorder_count', 0);
end
$$;

-- POST /api/search-requests and the bot: find the record, or keep unverified interest pending, or
-- (verified people only, within the hourly budget) create the record.
create or replace function demand_search_request(p_title text, p_artist text, p_record_id uuid, p_participant text,
                                                 p_verified boolean, p_chat_id bigint, p_contact text, p_source text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_id uuid := p_record_id;
  v_created boolean := false;
  v_refusal jsonb;
  r records;
  v jsonb;
begin
  -- The person first: their requests are counted one at a time (then the new-record lock, then the record's row).
  perform pg_advisory_xact_lock(hashtextextended('vinyl:demand-person:' || p_participant, 0));
  if not coalesce(p_verified, false) and p_source in ('site', 'telegram') then
    v_refusal := demand_budget_take('unverified', app_setting_int('demand_unverified_per_hour', 300));
    if v_refusal is not null then return v_refusal; end if;
  end if;
  if v_id is not null then
    if not exists (select 1 from records where id = v_id and deleted_at is null) then
      raise exception 'no record with this id' using errcode = '22023', hint = 'record_id';
    end if;
  else
    v_id := demand_match(p_title, p_artist);
    if v_id is null and not coalesce(p_verified, false) then
      return demand_pending_add(p_title, p_artist, p_participant, p_contact, p_source);
    end if;
    if v_id is null then
      perform pg_advisory_xact_lock(hashtext('vinyl:demand:new-record'));
      v_id := demand_match(p_title, p_artist);
    end if;
    if v_id is null then
      v_refusal := demand_person_refusal(p_participant, p_source);
      if v_refusal is not null then return v_refusal; end if;
      v_refusal := demand_budget_take('new_title', app_setting_int('demand_new_titles_per_hour', 30));
      if v_refusal is not null then return v_refusal; end if;
      insert into records (title, artist, status, field_sources)
      values (btrim(p_title), btrim(p_artist), 'search_request', '{"title": "customer", "artist": "customer"}')
      returning * into r;
      v_id := r.id;
      v_created := true;
      perform sheet_outbox_push('append_row', 'Справочник', r.id, jsonb_build_object('values', jsonb_build_object(
        'id', r.id, 'title', r.title, 'artist', r.artist, 'status', record_status_label(r.status),
        'preorder_min', r.preorder_min, 'preorder_count', 0, 'participants', '', 'last_interest_at', now())));
      perform admin_event_add('search_request', r.id, 'Новый запрос покупателя: ' || r.artist || ' — ' || r.title,
        'Проверить спрос', jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title, 'artist', r.artist), 'none');
    end if;
  end if;
  v := demand_register(v_id, p_participant, p_verified, p_chat_id, p_contact, p_source);
  return v || jsonb_build_object('created', v_created);
end
$$;

-- The best customer request (a search request or procurement task customers started) for a title,
-- other than p_exclude: {id, number, title, artist, exact}. Loose: every word matches one of the
-- record's words (typo, sound-alike, prefix) but they are not the same words.
create or replace function demand_match_request(p_title text, p_artist text, p_exclude uuid) returns jsonb
language plpgsql stable set search_path = public, extensions as $$
declare
  v_words text[] := vinyl_query_words(concat_ws(' ', p_artist, p_title), 20);
  v_key text := demand_title_key(p_title, p_artist);
  v_word text;
  v_loose text[];
  v_filter text := $f$r.deleted_at is null and r.status in ('search_request', 'procurement')
                      and r.field_sources ->> 'title' = 'customer'$f$;
  v jsonb;
begin
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

-- Moves a request's people onto the record that replaces it (the admin's or the sheet's) and
-- recounts both; the request keeps its row, empty, for the admin to delete in the sheet.
create or replace function demand_move_request(p_request_id uuid, p_record_id uuid) returns integer
language plpgsql set search_path = public, extensions as $$
declare
  v_moved integer;
begin
  perform 1 from records where id in (p_request_id, p_record_id) order by id for update;
  update record_participants p set record_id = p_record_id, updated_at = now()
   where p.record_id = p_request_id
     and not exists (select 1 from record_participants q where q.record_id = p_record_id and q.participant = p.participant);
  get diagnostics v_moved = row_count;
  update demand_pending set record_id = p_record_id where record_id = p_request_id;
  perform record_demand_recount(p_request_id, false);
  perform record_demand_recount(p_record_id, true);
  perform record_demand_sheet_push(p_request_id);
  perform record_demand_sheet_push(p_record_id);
  perform preorder_sheet_push(p.id) from record_participants p where p.record_id = p_record_id;
  return v_moved;
end
$$;

-- Open customer requests, found at once by the trigger below (a paste of thousands of rows must
-- not scan the catalog per row).
create index records_customer_requests_idx on records (id)
  where deleted_at is null and status in ('search_request', 'procurement') and field_sources ->> 'title' = 'customer';

-- One new record: pending unverified interest in its title joins it; a record not started by a
-- customer takes over the customers' request for the same title (exact), or the admin is asked
-- (loose).
create or replace function record_demand_join(r records, p_pending boolean, p_requests boolean) returns void
language plpgsql set search_path = public, extensions as $$
declare
  v_attached integer := 0;
  v_request jsonb;
  v_moved integer := 0;
begin
  if p_pending then
    with taken as (
      update demand_pending set record_id = r.id, joined_at = now()
       where title_key = demand_title_key(r.title, r.artist) and record_id is null
      returning participant, contact, created_at)
    insert into record_participants (record_id, participant, verified, contact, source, created_at)
    select r.id, participant, false, contact, 'site', created_at from taken
    on conflict (record_id, participant) do nothing;
    get diagnostics v_attached = row_count;
  end if;
  if p_requests and coalesce(r.field_sources ->> 'title', '') <> 'customer' then
    v_request := demand_match_request(r.title, r.artist, r.id);
    if v_request is not null and (v_request ->> 'exact')::boolean then
      v_moved := demand_move_request((v_request ->> 'id')::uuid, r.id);
      perform admin_event_add('request_joined', r.id,
        format('Новая пластинка #%s заменила запрос покупателей #%s (%s — %s): ждут %s. Строку #%s в Справочнике можно удалить.',
               r.number, v_request ->> 'number', v_request ->> 'artist', v_request ->> 'title', v_moved, v_request ->> 'number'),
        'Удалить пустой запрос', jsonb_build_object('record_id', r.id, 'number', r.number, 'request_number', (v_request ->> 'number')::integer), 'now');
    elsif v_request is not null then
      perform admin_event_add('request_maybe', r.id,
        format('Пластинка #%s (%s — %s) похожа на запрос покупателей #%s (%s — %s, ждут %s). Если это она — объедините их.',
               r.number, r.artist, r.title, v_request ->> 'number', v_request ->> 'artist', v_request ->> 'title', v_request ->> 'waiting'),
        'Объединить или оставить отдельно', jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title,
          'artist', r.artist, 'request', v_request), 'now');
    end if;
  end if;
  if v_attached + v_moved > 0 then
    perform record_demand_recount(r.id, v_moved > 0);
    perform record_check_threshold(r.id);
    perform record_demand_sheet_push(r.id);
    if r.status = 'available' and v_moved > 0 then
      perform offers_create_for_record(r.id);
    end if;
  end if;
end
$$;

-- Per statement, so a paste of many rows that meets no pending interest and no open request (the
-- usual case) costs two index probes, not a match per row.
create or replace function records_demand_join() returns trigger
language plpgsql set search_path = public, extensions as $$
declare
  v_pending boolean := exists (select 1 from demand_pending where record_id is null);
  v_requests boolean := exists (select 1 from records q where q.deleted_at is null and q.status in ('search_request', 'procurement')
                                   and q.field_sources ->> 'title' = 'customer');
  r records;
begin
  if not (v_pending or v_requests) then return null; end if;
  for r in select * from inserted where deleted_at is null and status <> 'deleted' order by number loop
    perform record_demand_join(r, v_pending, v_requests);
  end loop;
  return null;
end
$$;

create trigger records_demand_join_trg
  after insert on records
  referencing new table as inserted
  for each statement execute function records_demand_join();

-- The admin's "yes, it is that one" (bot button or API) for a loose match.
create or replace function demand_join_request(p_record_id uuid, p_request_id uuid) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  q records;
  v_moved integer;
begin
  select * into r from records where id = p_record_id and deleted_at is null;
  select * into q from records where id = p_request_id and deleted_at is null;
  if r.id is null or q.id is null or r.id = q.id then return jsonb_build_object('result', 'not_found'); end if;
  if q.status not in ('search_request', 'procurement') then
    return jsonb_build_object('result', 'not_a_request', 'status', q.status);
  end if;
  v_moved := demand_move_request(q.id, r.id);
  select * into r from records where id = p_record_id;
  if r.status = 'available' and v_moved > 0 then
    perform offers_create_for_record(r.id);
  end if;
  return jsonb_build_object('result', 'joined', 'moved', v_moved, 'number', r.number, 'request_number', q.number,
                            'title', r.title, 'artist', r.artist);
end
$$;

-- The bot's req_<id> deep link: the title a website visitor asked for, to ask again as a verified person.
create or replace function demand_pending_get(p_id uuid) returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object('title', title, 'artist', artist) from demand_pending where id = p_id
$$;

-- GET /api/admin/notifications' companion: unverified interest in titles the catalog does not have.
create or replace function demand_pending_titles(p_limit integer default 100) returns jsonb
language sql stable set search_path = public, extensions as $$
  select coalesce(jsonb_agg(jsonb_build_object('title', t.title, 'artist', t.artist, 'count', t.n,
           'contacts', t.contacts, 'first_at', t.first_at) order by t.n desc, t.title_key), '[]')
    from (select title_key, min(title) as title, min(artist) as artist, count(*) as n, min(created_at) as first_at,
                 to_jsonb((array_agg(coalesce(contact, participant) order by created_at, id))[1:20]) as contacts
            from demand_pending where record_id is null
           group by title_key order by count(*) desc, title_key limit greatest(1, least(p_limit, 500))) t
$$;

-- POST /api/admin/records: a title customers asked for (exactly) becomes that request's record, so
-- the waiting customers are on it; otherwise a new record, with a loosely matching request named.
create or replace function admin_create_record(p_record jsonb) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  v_id uuid := gen_random_uuid();
  v_request jsonb := demand_match_request(p_record ->> 'title', p_record ->> 'artist', null);
  v_fields jsonb;
  v_bad text;
begin
  if v_request is not null and (v_request ->> 'exact')::boolean then
    select k into v_bad from jsonb_object_keys(p_record) k where k <> all(record_catalog_fields()) order by k limit 1;
    if v_bad is not null then
      raise exception 'unknown record field: %', v_bad using errcode = '22023', hint = v_bad;
    end if;
    v_id := (v_request ->> 'id')::uuid;
    select * into r from records where id = v_id for update;
    -- The admin's fields (nulls dropped, as an insert would), on sale unless told otherwise.
    v_fields := jsonb_build_object('status', record_field_defaults() -> 'status') || jsonb_strip_nulls(p_record);
    v_fields := v_fields || jsonb_build_object('field_sources', r.field_sources
                  || (select jsonb_object_agg(k, 'admin') from jsonb_object_keys(v_fields) k));
    execute format('update records set (%1$s) = (select %1$s from jsonb_populate_record(null::records, $1)) where id = $2',
                   (select string_agg(quote_ident(k), ', ') from jsonb_object_keys(v_fields) k))
      using v_fields, v_id;
    select * into r from records where id = v_id;
    perform sheet_outbox_push('set_fields', 'Справочник', r.id, jsonb_build_object('fields', record_sheet_values(r) - 'id'));
    perform admin_event_add('request_joined', r.id,
      format('Пластинка добавлена в запрос покупателей #%s: ждут %s', r.number, r.verified_count), '',
      jsonb_build_object('record_id', r.id, 'number', r.number), 'none');
    return jsonb_build_object('record_id', r.id, 'number', r.number, 'status', r.status, 'joined_request', true,
      'ai_enrichment_queued', exists (select 1 from ai_jobs j where j.record_id = r.id and j.state = 'queued'));
  end if;
  perform records_import(jsonb_build_array(p_record || jsonb_build_object('id', v_id)), 'admin');
  select * into r from records where id = v_id;
  perform sheet_outbox_push('append_row', 'Справочник', r.id, jsonb_build_object('values', record_sheet_values(r)));
  return jsonb_build_object('record_id', r.id, 'number', r.number, 'status', r.status, 'joined_request', false,
    'possible_request', case when v_request is not null then v_request - 'exact' end,
    'ai_enrichment_queued', exists (select 1 from ai_jobs j where j.record_id = r.id and j.state = 'queued'));
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202000200') on conflict do nothing;
