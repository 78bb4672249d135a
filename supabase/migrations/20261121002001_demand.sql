-- Demand aggregation: search requests that count real people once, the procurement threshold,
-- admin events, and the durable Telegram delivery queue. Design notes: docs/demand-and-offers.md.

-- Parameters the server writes at start-up from its configuration (DISCOUNT_PERCENT, OFFER_TTL_DAYS,
-- RESERVATION_DAYS, ADMIN_TELEGRAM_ID), so triggers fired by any writer (the sheet sync, the admin
-- API, the bot) use the same values.
create table app_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);
alter table app_settings enable row level security;

create or replace function app_setting_int(p_key text, p_default integer) returns integer
language sql stable set search_path = public, extensions as $$
  select coalesce((select (value #>> '{}')::integer from app_settings where key = p_key), p_default)
$$;

create or replace function app_admin_chat_ids() returns bigint[]
language sql stable set search_path = public, extensions as $$
  select coalesce((select array_agg(x::bigint) from app_settings s, jsonb_array_elements_text(s.value) x
                    where s.key = 'admin_chat_ids' and jsonb_typeof(s.value) = 'array'), '{}')
$$;

create or replace function demand_configure(p_settings jsonb) returns jsonb
language plpgsql set search_path = public, extensions as $$
begin
  insert into app_settings (key, value)
  select k, v from jsonb_each(p_settings) as e(k, v)
  on conflict (key) do update set value = excluded.value, updated_at = now()
   where app_settings.value is distinct from excluded.value;
  return (select jsonb_object_agg(key, value) from app_settings);
end
$$;

-- The sheet shows statuses by label; the same labels as shared/record-status.ts statusLabels
-- (a test compares them).
create or replace function record_status_label(p_status text) returns text
language sql immutable set search_path = public, extensions as $$
  select case p_status
    when 'search_request' then '🟡 Search Request (trend)'
    when 'procurement' then '🟡 Procurement Task'
    when 'available' then '🟢 Available'
    when 'reserved' then '🟠 Reserved'
    when 'sold' then '🔴 Sold'
    else p_status end
$$;

-- Participants: one row per person per record. participant is the person's key: 'tg:<id>' for a
-- Telegram-verified person (bot /start or a checked Login Widget), 'web:<session>' or
-- 'contact:<e-mail/@username>' for unverified interest, 'demo:<n>' for the demo catalog.
alter table record_participants
  add column id uuid not null default gen_random_uuid(),
  add column verified boolean not null default false,
  add column chat_id bigint,
  add column contact text check (char_length(contact) <= 200),
  add column source text not null default 'system' check (source in ('site', 'telegram', 'system', 'demo', 'admin')),
  add column status text not null default 'active'
    check (status in ('active', 'notified', 'converted', 'expired', 'cancelled', 'unreachable')),
  add column updated_at timestamptz not null default now(),
  -- When the admin's batched "new requests" message included this row.
  add column digested_at timestamptz;
create unique index record_participants_id_idx on record_participants (id);
create index record_participants_chat_idx on record_participants (chat_id) where chat_id is not null;
create index record_participants_digest_idx on record_participants (created_at) where digested_at is null;

-- preorder_count counts every person who asked (verified or not, not cancelled): the demand the
-- site and the sheet show. verified_count counts Telegram-verified people only: the threshold.
alter table records add column verified_count integer not null default 0 check (verified_count >= 0);

-- Rows from before this migration: Telegram participants are verified, demo ones are not.
update record_participants
   set verified = true, chat_id = substring(participant from 4)::bigint, source = 'telegram'
 where participant ~ '^tg:[0-9]{1,15}$';
update record_participants set source = 'demo' where participant like 'demo:%';
update records r set verified_count = (select count(*) from record_participants p where p.record_id = r.id and p.verified);

-- Events for the admin: a row in Оповещения_админу (through the outbox) and, depending on
-- p_notify, a Telegram message now ('now'), in the next batched message ('digest') or none.
create table admin_events (
  id uuid primary key default gen_random_uuid(),
  type text not null,
  record_id uuid references records (id) on delete set null,
  details text not null default '',
  action text not null default '',
  task_status text not null default 'open',
  payload jsonb not null default '{}'::jsonb,
  notify text not null default 'none' check (notify in ('now', 'digest', 'none')),
  digested_at timestamptz,
  created_at timestamptz not null default now()
);
create index admin_events_record_idx on admin_events (record_id, type);
create index admin_events_digest_idx on admin_events (created_at) where notify = 'digest' and digested_at is null;
alter table admin_events enable row level security;

-- The durable Telegram queue: a worker claims due rows with a lease, sends, then marks them sent.
create table telegram_deliveries (
  id bigint generated always as identity primary key,
  -- offer | offer_gone | admin_event | admin_digest | notice
  kind text not null,
  chat_id bigint not null,
  offer_id uuid,
  participant_id uuid,
  payload jsonb not null default '{}'::jsonb,
  status text not null default 'pending' check (status in ('pending', 'sent', 'failed', 'cancelled')),
  attempts integer not null default 0,
  floods integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  worker text,
  lease_until timestamptz,
  sent_at timestamptz,
  telegram_message_id bigint,
  last_error text,
  created_at timestamptz not null default now()
);
create index telegram_deliveries_due_idx on telegram_deliveries (next_attempt_at, id) where status = 'pending';
create index telegram_deliveries_chat_idx on telegram_deliveries (chat_id, sent_at);
create index telegram_deliveries_offer_idx on telegram_deliveries (offer_id) where offer_id is not null;
alter table telegram_deliveries enable row level security;

create or replace function delivery_enqueue(p_kind text, p_chat_id bigint, p_payload jsonb,
                                            p_offer_id uuid default null, p_participant_id uuid default null) returns bigint
language sql set search_path = public, extensions as $$
  insert into telegram_deliveries (kind, chat_id, payload, offer_id, participant_id)
  values (p_kind, p_chat_id, p_payload, p_offer_id, p_participant_id)
  returning id
$$;

create or replace function admin_event_add(p_type text, p_record_id uuid, p_details text, p_action text,
                                           p_payload jsonb, p_notify text) returns uuid
language plpgsql set search_path = public, extensions as $$
declare
  v_id uuid;
  v_record text;
  v_admin bigint;
begin
  insert into admin_events (type, record_id, details, action, payload, notify)
  values (p_type, p_record_id, coalesce(p_details, ''), coalesce(p_action, ''), coalesce(p_payload, '{}'), p_notify)
  returning id into v_id;
  select r.artist || ' — ' || r.title || ' (#' || r.number || ')' into v_record from records r where r.id = p_record_id;
  perform sheet_outbox_push('append_row', 'Оповещения_админу', p_record_id, jsonb_build_object('values', jsonb_build_object(
    'id', v_id, 'at', now(), 'type', p_type, 'record', coalesce(v_record, ''), 'details', coalesce(p_details, ''),
    'action', coalesce(p_action, ''), 'task_status', 'open')));
  if p_notify = 'now' then
    foreach v_admin in array app_admin_chat_ids() loop
      perform delivery_enqueue('admin_event', v_admin,
        coalesce(p_payload, '{}') || jsonb_build_object('event_id', v_id, 'type', p_type, 'details', p_details));
    end loop;
  end if;
  return v_id;
end
$$;

-- A participant's key as the sheet shows it in Предзаказы_участники.
create or replace function record_participants_text(p_record_id uuid) returns text
language sql stable set search_path = public, extensions as $$
  with shown as (
    select participant, verified from record_participants
     where record_id = p_record_id and status <> 'cancelled' order by created_at, participant limit 50),
  total as (select count(*) as n from record_participants where record_id = p_record_id and status <> 'cancelled')
  select coalesce((select string_agg(participant || case when verified then '' else ' (?)' end, ', ') from shown), '')
      || case when (select n from total) > 50 then ' …+' || ((select n from total) - 50) else '' end
$$;

-- Counters, participant list and last interest of a record, to Справочник.
create or replace function record_demand_sheet_push(p_record_id uuid) returns void
language plpgsql set search_path = public, extensions as $$
declare
  r records;
begin
  select * into r from records where id = p_record_id;
  if not found then return; end if;
  perform sheet_outbox_push('set_fields', 'Справочник', r.id, jsonb_build_object('fields', jsonb_build_object(
    'preorder_count', r.preorder_count, 'participants', record_participants_text(r.id),
    'last_interest_at', r.last_interest_at, 'status', record_status_label(r.status))));
end
$$;

create or replace function participant_status_label(p_status text) returns text
language sql immutable set search_path = public, extensions as $$
  select case p_status when 'active' then 'Active' when 'notified' then 'Notified' when 'converted' then 'Converted'
    when 'expired' then 'Expired' when 'cancelled' then 'Cancelled' when 'unreachable' then 'unreachable' else p_status end
$$;

-- Recounts a record from its rows (under the record's row lock) and reports it to the sheet.
create or replace function record_demand_recount(p_record_id uuid, p_touch boolean) returns records
language plpgsql set search_path = public, extensions as $$
declare
  r records;
begin
  update records set
    preorder_count = (select count(*) from record_participants p where p.record_id = p_record_id and p.status <> 'cancelled'),
    verified_count = (select count(*) from record_participants p where p.record_id = p_record_id and p.status <> 'cancelled' and p.verified),
    last_interest_at = case when p_touch then now() else last_interest_at end
   where id = p_record_id returning * into r;
  return r;
end
$$;

-- When the verified count reaches the minimum: 🟡 Procurement Task, exactly once (the caller holds
-- the record's row lock and the status check makes the transition single).
create or replace function record_check_threshold(p_record_id uuid) returns boolean
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  v_trend integer;
begin
  update records set status = 'procurement'
   where id = p_record_id and status = 'search_request' and verified_count >= preorder_min
  returning * into r;
  if not found then return false; end if;
  select count(*) into v_trend from record_participants
   where record_id = r.id and status <> 'cancelled' and verified and created_at > now() - interval '3 days';
  perform admin_event_add('procurement', r.id,
    format('Спрос: %s подтверждённых (+%s за 3 дня), всего %s', r.verified_count, v_trend, r.preorder_count),
    'Найти пластинку и добавить в каталог',
    jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title, 'artist', r.artist, 'year', r.year,
      'price', r.price, 'demand', r.verified_count, 'total_demand', r.preorder_count, 'trend_3d', v_trend),
    'now');
  return true;
end
$$;

-- One participant row for Предзаказы, upserted by its ID, with the person's newest offer.
create or replace function preorder_sheet_push(p_participant_id uuid) returns void
language plpgsql set search_path = public, extensions as $$
declare
  p record_participants;
  v_offer record;
begin
  select * into p from record_participants where id = p_participant_id;
  if not found then return; end if;
  -- offers exist from the next migration on; looked up dynamically so this file stands alone.
  if to_regclass('public.offers') is not null then
    execute 'select code, expires_at, notified_at from offers where participant_id = $1 order by created_at desc limit 1'
      into v_offer using p.id;
  end if;
  perform sheet_outbox_push('append_row', 'Предзаказы', p.record_id, jsonb_build_object('values', jsonb_build_object(
    'id', p.id, 'at', p.created_at, 'customer', p.participant, 'record_id', p.record_id,
    'contact', coalesce(p.contact, ''), 'status', participant_status_label(p.status),
    'notified', coalesce(v_offer.notified_at is not null, false),
    'offer', coalesce(v_offer.code, ''), 'expires_at', v_offer.expires_at)));
end
$$;

-- Registers one person's interest in one record. Idempotent per (record, person); a repeat only
-- upgrades (verification, chat, contact) or reactivates a cancelled/expired request.
create or replace function demand_register(p_record_id uuid, p_participant text, p_verified boolean, p_chat_id bigint,
                                           p_contact text, p_source text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  p record_participants;
  v_added boolean := false;
  v_changed boolean := false;
  v_procurement boolean := false;
begin
  -- The record's row lock serialises every registration for it: exact counters, one transition.
  select * into r from records where id = p_record_id and deleted_at is null for update;
  if not found then
    return jsonb_build_object('error', 'not_found');
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
    r := record_demand_recount(p_record_id, true);
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

-- The foundation's counter, kept for its callers (the demo seed, tests): 'tg:<id>' is a verified
-- Telegram person, anything else ('demo:<n>') counts as unverified interest.
create or replace function record_register_interest(p_record_id uuid, p_participant text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_tg boolean := p_participant ~ '^tg:[0-9]{1,15}$';
  v jsonb;
begin
  v := demand_register(p_record_id, p_participant, v_tg,
                       case when v_tg then substring(p_participant from 4)::bigint end, null,
                       case when v_tg then 'telegram' when p_participant like 'demo:%' then 'demo' else 'system' end);
  return jsonb_build_object('record_id', p_record_id, 'added', coalesce((v ->> 'added')::boolean, false),
                            'preorder_count', (v ->> 'preorder_count')::integer);
end
$$;

-- The record a request names by title and artist: every requested word matches one of the
-- record's words (exact, prefix, sound-alike or small typo, via vinyl_expand_word) and both
-- have as many words, so "The Wall" does not join "The Wall Live". Exact matches win.
create or replace function demand_match(p_title text, p_artist text) returns uuid
language plpgsql stable set search_path = public, extensions as $$
declare
  v_words text[] := vinyl_query_words(concat_ws(' ', p_artist, p_title), 20);
  v_word text;
  v_loose text[];
  v_filter text := 'r.deleted_at is null';
  v_id uuid;
begin
  if cardinality(v_words) = 0 then return null; end if;
  foreach v_word in array v_words loop
    v_loose := vinyl_expand_word(v_word);
    if cardinality(v_loose) = 0 then return null; end if;
    v_filter := v_filter || format(' and r.search_words && %L::text[]', v_loose);
  end loop;
  execute format($q$
    select r.id from records r
     where %s and cardinality(vinyl_query_words(concat_ws(' ', r.artist, r.title), 20)) = $1
     order by (select array_agg(x order by x) from unnest(vinyl_query_words(concat_ws(' ', r.artist, r.title), 20)) x)
              = (select array_agg(x order by x) from unnest($2) x) desc,
              (r.status = 'sold') asc, r.created_at
     limit 1
  $q$, v_filter) into v_id using cardinality(v_words), v_words;
  return v_id;
end
$$;

-- POST /api/search-requests and /start want_: find or create the record, then register the person.
create or replace function demand_search_request(p_title text, p_artist text, p_record_id uuid, p_participant text,
                                                 p_verified boolean, p_chat_id bigint, p_contact text, p_source text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_id uuid := p_record_id;
  v_created boolean := false;
  r records;
  v jsonb;
begin
  if v_id is not null then
    if not exists (select 1 from records where id = v_id and deleted_at is null) then
      raise exception 'no record with this id' using errcode = '22023', hint = 'record_id';
    end if;
  else
    v_id := demand_match(p_title, p_artist);
    if v_id is null then
      -- Creating is serialised so concurrent first requests for one new title make one record;
      -- the match is repeated under the lock (a fresh snapshot sees the winner's commit).
      perform pg_advisory_xact_lock(hashtext('vinyl:demand:new-record'));
      v_id := demand_match(p_title, p_artist);
    end if;
    if v_id is null then
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

-- The admin's batched message of new interest and follow-up events: at most one per interval,
-- whichever server instance asks first (the settings row lock decides).
create or replace function admin_digest_enqueue(p_min_interval_seconds integer default 60) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_last timestamptz;
  v_requests jsonb;
  v_events jsonb;
  v_admin bigint;
  v_admins bigint[] := app_admin_chat_ids();
begin
  insert into app_settings (key, value) values ('admin_digest_at', to_jsonb('1970-01-01T00:00:00Z'::timestamptz))
  on conflict (key) do nothing;
  select (value #>> '{}')::timestamptz into v_last from app_settings where key = 'admin_digest_at' for update;
  if v_last > now() - make_interval(secs => p_min_interval_seconds) then
    return jsonb_build_object('sent', false, 'reason', 'too_soon');
  end if;
  with taken as (
    update record_participants p set digested_at = now()
     where p.digested_at is null and p.source <> 'demo'
    returning p.record_id, p.verified)
  select coalesce(jsonb_agg(jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title, 'artist', r.artist,
           'new_verified', t.v, 'new_unverified', t.u, 'demand', r.verified_count, 'total_demand', r.preorder_count,
           'status', r.status) order by t.v + t.u desc), '[]')
    into v_requests
    from (select record_id, count(*) filter (where verified) as v, count(*) filter (where not verified) as u
            from taken group by record_id) t join records r on r.id = t.record_id;
  with taken as (
    update admin_events set digested_at = now()
     where notify = 'digest' and digested_at is null
    returning type, details, record_id, created_at)
  select coalesce(jsonb_agg(jsonb_build_object('type', type, 'details', details, 'record_id', record_id) order by created_at), '[]')
    into v_events from taken;
  if jsonb_array_length(v_requests) = 0 and jsonb_array_length(v_events) = 0 then
    return jsonb_build_object('sent', false, 'reason', 'nothing_new');
  end if;
  update app_settings set value = to_jsonb(now()), updated_at = now() where key = 'admin_digest_at';
  foreach v_admin in array v_admins loop
    perform delivery_enqueue('admin_digest', v_admin, jsonb_build_object('requests', v_requests, 'events', v_events));
  end loop;
  return jsonb_build_object('sent', cardinality(v_admins) > 0, 'requests', jsonb_array_length(v_requests),
                            'events', jsonb_array_length(v_events));
end
$$;

-- Claims up to p_limit due messages for one worker: at most one per chat, none for a chat with a
-- message in flight or sent in the last second (Telegram: about one message per second per chat).
create or replace function delivery_claim(p_worker text, p_limit integer, p_lease_seconds integer) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v jsonb;
begin
  with due as (
    select d.id, d.chat_id from telegram_deliveries d
     where d.status = 'pending' and d.next_attempt_at <= now() and (d.lease_until is null or d.lease_until < now())
     order by d.next_attempt_at, d.id
     limit greatest(p_limit, 1) * 4
     for update skip locked),
  one_per_chat as (
    select distinct on (due.chat_id) due.id from due
     where not exists (
       select 1 from telegram_deliveries o
        where o.chat_id = due.chat_id and o.id <> due.id
          and ((o.status = 'pending' and o.lease_until >= now()) or o.sent_at > now() - interval '1 second'))
     order by due.chat_id, due.id),
  picked as (select id from one_per_chat order by id limit greatest(p_limit, 1)),
  claimed as (
    update telegram_deliveries d
       set worker = p_worker, lease_until = now() + make_interval(secs => p_lease_seconds), attempts = d.attempts + 1
      from picked where d.id = picked.id
    returning d.id, d.kind, d.chat_id, d.offer_id, d.participant_id, d.payload, d.attempts)
  select coalesce(jsonb_agg(to_jsonb(claimed) order by claimed.id), '[]') into v from claimed;
  return v;
end
$$;

-- The sent marker. The first completion wins; a late one (lease lost) changes nothing.
create or replace function delivery_complete(p_id bigint, p_worker text, p_message_id bigint) returns boolean
language plpgsql set search_path = public, extensions as $$
declare
  d telegram_deliveries;
begin
  update telegram_deliveries set status = 'sent', sent_at = now(), telegram_message_id = p_message_id,
         lease_until = null, worker = p_worker
   where id = p_id and status = 'pending'
  returning * into d;
  if not found then return false; end if;
  if d.kind = 'offer' and d.offer_id is not null and to_regprocedure('public.offer_delivered(uuid)') is not null then
    execute 'select offer_delivered($1)' using d.offer_id;
  end if;
  return true;
end
$$;

-- A failed send: p_reason flood (429, wait retry_after, no attempt used), transient (retry after
-- 30 s, 5 min, 1 h, then give up), blocked (403: the person is unreachable), permanent (400).
create or replace function delivery_fail(p_id bigint, p_worker text, p_reason text, p_retry_after integer, p_error text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  d telegram_deliveries;
  v_give_up boolean;
  v_admin_kind boolean;
  v_n integer;
begin
  select * into d from telegram_deliveries where id = p_id and status = 'pending' for update;
  if not found then return jsonb_build_object('outcome', 'gone'); end if;
  v_admin_kind := d.kind in ('admin_event', 'admin_digest');
  if p_reason = 'flood' and d.floods < 50 then
    update telegram_deliveries set attempts = greatest(attempts - 1, 0), floods = floods + 1, lease_until = null,
           next_attempt_at = now() + make_interval(secs => greatest(coalesce(p_retry_after, 1), 1)), last_error = left(p_error, 500)
     where id = p_id;
    return jsonb_build_object('outcome', 'retry');
  end if;
  v_give_up := p_reason in ('blocked', 'permanent', 'flood') or d.attempts >= 4;
  if not v_give_up then
    update telegram_deliveries set lease_until = null, last_error = left(p_error, 500),
           next_attempt_at = now() + case d.attempts when 1 then interval '30 seconds' when 2 then interval '5 minutes' else interval '1 hour' end
     where id = p_id;
    return jsonb_build_object('outcome', 'retry');
  end if;
  update telegram_deliveries set status = 'failed', lease_until = null, last_error = left(p_error, 500) where id = p_id;
  if p_reason = 'blocked' and not v_admin_kind then
    with gone as (
      update record_participants set status = 'unreachable', updated_at = now()
       where chat_id = d.chat_id and status in ('active', 'notified')
      returning id)
    select count(*) into v_n from (select preorder_sheet_push(id) from gone) x;
    perform admin_event_add('unreachable', (d.payload ->> 'record_id')::uuid,
      format('Telegram %s недоступен (бот заблокирован или не запущен): %s', d.chat_id, left(p_error, 200)),
      'Связаться вручную', jsonb_build_object('chat_id', d.chat_id, 'delivery_id', d.id), 'digest');
    return jsonb_build_object('outcome', 'unreachable');
  end if;
  if not v_admin_kind then
    perform admin_event_add('delivery_failed', (d.payload ->> 'record_id')::uuid,
      format('Сообщение (%s) для %s не доставлено после %s попыток: %s', d.kind, d.chat_id, d.attempts, left(p_error, 200)),
      'Связаться вручную', jsonb_build_object('chat_id', d.chat_id, 'delivery_id', d.id), 'digest');
  end if;
  return jsonb_build_object('outcome', 'failed');
end
$$;

-- A stopping worker hands back what it claimed but did not send: no attempt used, due at once.
create or replace function delivery_release(p_ids bigint[], p_worker text) returns integer
language plpgsql set search_path = public, extensions as $$
declare
  v integer;
begin
  update telegram_deliveries set lease_until = null, attempts = greatest(attempts - 1, 0)
   where id = any(p_ids) and worker = p_worker and status = 'pending';
  get diagnostics v = row_count;
  return v;
end
$$;

-- /stop: the person's requests are cancelled (they no longer count) and their live offers too.
create or replace function demand_stop(p_chat_id bigint) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_records uuid[];
  v_parts uuid[];
  v_id uuid;
begin
  select array_agg(distinct record_id), array_agg(id) into v_records, v_parts from record_participants
   where chat_id = p_chat_id and status in ('active', 'notified', 'unreachable');
  if v_records is null then return jsonb_build_object('cancelled', 0); end if;
  -- Lock the records in a stable order before touching their participants.
  perform 1 from records where id = any(v_records) order by id for update;
  update record_participants set status = 'cancelled', updated_at = now() where id = any(v_parts);
  if to_regprocedure('public.offers_cancel_for_participants(uuid[],text)') is not null then
    execute 'select offers_cancel_for_participants($1, $2)' using v_parts, 'stopped';
  end if;
  foreach v_id in array v_records loop
    perform record_demand_recount(v_id, false);
    perform record_demand_sheet_push(v_id);
  end loop;
  foreach v_id in array v_parts loop
    perform preorder_sheet_push(v_id);
  end loop;
  return jsonb_build_object('cancelled', cardinality(v_parts));
end
$$;

-- The bot learnt the person blocked it (my_chat_member "kicked").
create or replace function demand_mark_unreachable(p_chat_id bigint) returns integer
language plpgsql set search_path = public, extensions as $$
declare
  v integer;
begin
  with gone as (
    update record_participants set status = 'unreachable', updated_at = now()
     where chat_id = p_chat_id and status in ('active', 'notified') returning id)
  select count(*) into v from (select preorder_sheet_push(id) from gone) x;
  return v;
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261121002001') on conflict do nothing;
