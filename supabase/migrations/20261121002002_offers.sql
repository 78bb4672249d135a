-- Pre-order offers: created in the database when a record becomes available (whoever changed the
-- status), reservations, sales, offer templates, expiry, and the admin API's reads.

create table offers (
  id uuid primary key default gen_random_uuid(),
  -- Readable prefix (record number) + 50 random bits: PRE-123-K7F3Q9XM2A. Checked by lookup only.
  code text not null unique,
  record_id uuid not null references records (id) on delete cascade,
  participant_id uuid not null references record_participants (id) on delete cascade,
  chat_id bigint not null,
  original_price numeric(12, 2) not null,
  discount_percent integer not null,
  price numeric(12, 2) not null,
  -- pending: created, message not yet delivered; notified: delivered.
  status text not null default 'pending' check (status in ('pending', 'notified', 'converted', 'expired', 'cancelled')),
  cancel_reason text,
  created_at timestamptz not null default now(),
  notified_at timestamptz,
  expires_at timestamptz not null,
  closed_at timestamptz
);
-- One live offer per participant: a second arrival of the same record offers only to newcomers.
create unique index offers_live_idx on offers (participant_id) where status in ('pending', 'notified');
create index offers_record_idx on offers (record_id, status);
create index offers_expiry_idx on offers (expires_at) where status in ('pending', 'notified');
create index offers_chat_idx on offers (chat_id);
alter table offers enable row level security;

create table reservations (
  id uuid primary key default gen_random_uuid(),
  record_id uuid not null references records (id) on delete cascade,
  chat_id bigint not null,
  contact text,
  offer_id uuid references offers (id),
  price numeric(12, 2),
  status text not null default 'active' check (status in ('active', 'sold', 'expired', 'released')),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  closed_at timestamptz
);
create unique index reservations_active_idx on reservations (record_id) where status = 'active';
create index reservations_expiry_idx on reservations (expires_at) where status = 'active';
alter table reservations enable row level security;

create table sales (
  id uuid primary key default gen_random_uuid(),
  record_id uuid not null references records (id) on delete cascade,
  price numeric(12, 2),
  chat_id bigint,
  offer_id uuid references offers (id),
  reservation_id uuid references reservations (id),
  genre text,
  sold_at timestamptz not null default now()
);
create index sales_sold_at_idx on sales (sold_at);
alter table sales enable row level security;

-- Настройки_уведомлений: the sheet sync calls templates_upsert with the worksheet's rows.
create table notification_templates (
  type text primary key check (char_length(type) between 1 and 100),
  title text not null default '',
  body text not null check (char_length(body) <= 4000),
  active boolean not null default true,
  updated_at timestamptz not null default now()
);
alter table notification_templates enable row level security;

-- p_templates: [{type, title, body, active}], the whole worksheet; rows not given are removed.
create or replace function templates_upsert(p_templates jsonb) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_count integer;
begin
  if jsonb_typeof(p_templates) <> 'array' then
    raise exception 'p_templates must be a JSON array' using errcode = '22023', hint = 'templates';
  end if;
  delete from notification_templates
   where type not in (select btrim(e ->> 'type') from jsonb_array_elements(p_templates) e where e ->> 'type' is not null);
  insert into notification_templates (type, title, body, active)
  select btrim(e ->> 'type'), coalesce(e ->> 'title', ''), coalesce(e ->> 'body', ''),
         coalesce((e ->> 'active')::boolean, true)
    from jsonb_array_elements(p_templates) e
   where coalesce(btrim(e ->> 'type'), '') <> ''
  on conflict (type) do update set title = excluded.title, body = excluded.body, active = excluded.active, updated_at = now();
  get diagnostics v_count = row_count;
  return jsonb_build_object('templates', v_count);
end
$$;

create or replace function templates_get(p_type text) returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object('type', type, 'title', title, 'body', body, 'active', active, 'updated_at', updated_at)
    from notification_templates where type = p_type
$$;

create or replace function offer_new_code(p_number integer) returns text
language sql volatile set search_path = public, extensions as $$
  -- 32 unambiguous characters, 5 bits each; gen_random_bytes is pgcrypto's CSPRNG.
  select 'PRE-' || p_number || '-' || string_agg(substr('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', (get_byte(b, i) % 32) + 1, 1), '' order by i)
    from (select gen_random_bytes(10) as b) x, generate_series(0, 9) as i
$$;

create or replace function offer_json(o offers) returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object('offer_id', o.id, 'code', o.code, 'record_id', o.record_id, 'number', r.number,
    'title', r.title, 'artist', r.artist, 'year', r.year, 'slug', r.slug, 'original_price', o.original_price,
    'price', o.price, 'discount_percent', o.discount_percent, 'expires_at', o.expires_at, 'status', o.status)
    from records r where r.id = o.record_id
$$;

-- Offers for every reachable active participant of an available record, each with its queued
-- message, in one transaction. Unverified interest goes to the admin for manual follow-up.
create or replace function offers_create_for_record(p_record_id uuid) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  v_pct integer := app_setting_int('discount_percent', 25);
  v_ttl integer := app_setting_int('offer_ttl_days', 14);
  v_expires timestamptz;
  v_created integer := 0;
  v_waiting integer;
  v_unverified jsonb;
  o offers;
begin
  select * into r from records where id = p_record_id and deleted_at is null for update;
  if not found then return jsonb_build_object('error', 'not_found'); end if;
  if r.status <> 'available' then
    return jsonb_build_object('error', 'not_available', 'status', r.status);
  end if;
  v_expires := now() + make_interval(days => v_ttl);
  select count(*) into v_waiting from record_participants
   where record_id = r.id and status = 'active' and verified and chat_id is not null;
  if r.price is null then
    if v_waiting > 0 then
      perform admin_event_add('offers_blocked', r.id, format('%s человек ждут, но у пластинки нет цены', v_waiting),
        'Указать цену и отправить предложения', jsonb_build_object('record_id', r.id, 'number', r.number,
        'title', r.title, 'artist', r.artist, 'waiting', v_waiting), 'now');
    end if;
    return jsonb_build_object('error', 'no_price', 'recipients', 0, 'offers_created', 0);
  end if;
  for o in
    insert into offers (code, record_id, participant_id, chat_id, original_price, discount_percent, price, expires_at)
    select offer_new_code(r.number), r.id, p.id, p.chat_id, r.price, v_pct, round(r.price * (100 - v_pct) / 100.0), v_expires
      from record_participants p
     where p.record_id = r.id and p.status = 'active' and p.verified and p.chat_id is not null
       and not exists (select 1 from offers x where x.participant_id = p.id and x.status in ('pending', 'notified'))
     order by p.created_at
    returning *
  loop
    v_created := v_created + 1;
    perform delivery_enqueue('offer', o.chat_id, offer_json(o), o.id, o.participant_id);
    perform preorder_sheet_push(o.participant_id);
  end loop;
  select coalesce(jsonb_agg(coalesce(contact, participant) order by created_at), '[]') into v_unverified
    from record_participants where record_id = r.id and status = 'active' and not verified and source <> 'demo';
  if jsonb_array_length(v_unverified) > 0 then
    perform admin_event_add('unverified_waiting', r.id,
      format('Пластинка в наличии; без Telegram ждут %s: %s', jsonb_array_length(v_unverified), left(v_unverified::text, 1000)),
      'Связаться вручную', jsonb_build_object('record_id', r.id, 'contacts', v_unverified), 'digest');
  end if;
  return jsonb_build_object('recipients', v_created, 'offers_created', v_created, 'expires_at', v_expires,
                            'unverified', jsonb_array_length(v_unverified));
end
$$;

-- Called by delivery_complete when an offer's message was sent.
create or replace function offer_delivered(p_offer_id uuid) returns void
language plpgsql set search_path = public, extensions as $$
declare
  o offers;
begin
  update offers set status = 'notified', notified_at = now() where id = p_offer_id and status = 'pending' returning * into o;
  if found then
    update record_participants set status = 'notified', updated_at = now() where id = o.participant_id and status = 'active';
    perform preorder_sheet_push(o.participant_id);
    return;
  end if;
  -- The copy went to someone else while this message was in flight: say so at once.
  select * into o from offers where id = p_offer_id;
  if found and o.status = 'cancelled' and o.cancel_reason = 'gone' then
    perform delivery_enqueue('offer_gone', o.chat_id, offer_json(o), o.id, o.participant_id);
  end if;
end
$$;

create or replace function offers_cancel_for_participants(p_participants uuid[], p_reason text) returns integer
language plpgsql set search_path = public, extensions as $$
declare
  v integer;
begin
  with gone as (
    update offers set status = 'cancelled', cancel_reason = p_reason, closed_at = now()
     where participant_id = any(p_participants) and status in ('pending', 'notified') returning id)
  update telegram_deliveries set status = 'cancelled'
   where offer_id in (select id from gone) and status = 'pending' and (lease_until is null or lease_until < now());
  get diagnostics v = row_count;
  return v;
end
$$;

-- Every status change of a record, from any writer: a reservation left without a sale is released,
-- a sale is recorded, and an arrival (→ available) creates the offers.
create or replace function records_status_changed() returns trigger
language plpgsql set search_path = public, extensions as $$
declare
  v_res reservations;
  v_price numeric;
begin
  if old.status = 'reserved' and new.status <> 'sold' then
    update reservations set status = 'released', closed_at = now()
     where record_id = new.id and status = 'active' returning * into v_res;
    if found and v_res.offer_id is not null then
      update offers set status = 'cancelled', cancel_reason = 'released', closed_at = now()
       where id = v_res.offer_id and status in ('pending', 'notified');
      update record_participants p set status = 'active', updated_at = now()
        from offers o where o.id = v_res.offer_id and p.id = o.participant_id and p.status in ('notified', 'active');
    end if;
  end if;
  if new.status = 'sold' then
    update reservations set status = 'sold', closed_at = now()
     where record_id = new.id and status = 'active' returning * into v_res;
    v_price := coalesce(nullif(current_setting('vinyl.price_paid', true), '')::numeric, v_res.price, new.price);
    insert into sales (record_id, price, chat_id, offer_id, reservation_id, genre)
    values (new.id, v_price, v_res.chat_id, v_res.offer_id, v_res.id, new.genre);
    if v_res.offer_id is not null then
      update offers set status = 'converted', closed_at = now() where id = v_res.offer_id;
      update record_participants p set status = 'converted', updated_at = now()
        from offers o where o.id = v_res.offer_id and p.id = o.participant_id;
      perform preorder_sheet_push(o.participant_id) from offers o where o.id = v_res.offer_id;
    end if;
  end if;
  if new.status = 'available' and coalesce(current_setting('vinyl.skip_offers', true), '') <> 'on' then
    perform offers_create_for_record(new.id);
  end if;
  return null;
end
$$;

create trigger records_status_changed_trg
  after update of status on records
  for each row when (old.status is distinct from new.status)
  execute function records_status_changed();

-- /start buy_<record>: reserve the record for this person, at their offer's price when they hold
-- a valid one. Other holders lose their offers (and are told), but stay on the list.
create or replace function offers_reserve(p_record_key text, p_chat_id bigint, p_contact text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  o offers;
  v_res reservations;
  v_days integer := app_setting_int('reservation_days', 14);
  v_other offers;
  v_told integer := 0;
begin
  select * into r from records
   where deleted_at is null and case
           when p_record_key ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then id = p_record_key::uuid
           when p_record_key ~ '^[0-9]{1,9}$' then number = p_record_key::integer
           else false end
   for update;
  if not found then return jsonb_build_object('result', 'not_found'); end if;
  if r.status = 'reserved' then
    select * into v_res from reservations where record_id = r.id and status = 'active';
    if v_res.chat_id = p_chat_id then
      return jsonb_build_object('result', 'already_yours', 'title', r.title, 'artist', r.artist, 'number', r.number,
                                'price', v_res.price, 'reserved_until', v_res.expires_at);
    end if;
  end if;
  if r.status <> 'available' then
    return jsonb_build_object('result', 'unavailable', 'status', r.status, 'title', r.title, 'artist', r.artist, 'number', r.number);
  end if;
  select * into o from offers
   where record_id = r.id and chat_id = p_chat_id and status in ('pending', 'notified') and expires_at > now()
   order by created_at desc limit 1 for update;
  insert into reservations (record_id, chat_id, contact, offer_id, price, expires_at)
  values (r.id, p_chat_id, p_contact, o.id, coalesce(o.price, r.price), now() + make_interval(days => v_days))
  returning * into v_res;
  update records set status = 'reserved' where id = r.id;
  perform sheet_outbox_push('set_fields', 'Справочник', r.id,
    jsonb_build_object('fields', jsonb_build_object('status', record_status_label('reserved'))));
  for v_other in
    update offers set status = 'cancelled', cancel_reason = 'gone', closed_at = now()
     where record_id = r.id and status in ('pending', 'notified') and id is distinct from o.id
    returning *
  loop
    update record_participants set status = 'active', updated_at = now()
     where id = v_other.participant_id and status in ('notified', 'active');
    update telegram_deliveries set status = 'cancelled'
     where offer_id = v_other.id and status = 'pending' and (lease_until is null or lease_until < now());
    -- Only a holder who got the offer is told it is gone; an undelivered one never saw it
    -- (and one in flight is told by offer_delivered when its send completes).
    if v_other.notified_at is not null then
      perform delivery_enqueue('offer_gone', v_other.chat_id, offer_json(v_other), v_other.id, v_other.participant_id);
      v_told := v_told + 1;
    end if;
    perform preorder_sheet_push(v_other.participant_id);
  end loop;
  perform admin_event_add('reservation', r.id,
    format('Бронь для Telegram %s%s: %s ₽%s, до %s', p_chat_id, coalesce(' (' || p_contact || ')', ''), coalesce(v_res.price::text, '—'),
           case when o.id is not null then ' по промокоду ' || o.code else '' end, to_char(v_res.expires_at, 'DD.MM.YYYY')),
    'Связаться с покупателем и подтвердить продажу (статус 🔴 Sold)',
    jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title, 'artist', r.artist, 'chat_id', p_chat_id,
      'contact', p_contact, 'price', v_res.price, 'code', o.code, 'reserved_until', v_res.expires_at), 'now');
  return jsonb_build_object('result', 'reserved', 'title', r.title, 'artist', r.artist, 'number', r.number,
    'price', v_res.price, 'original_price', r.price, 'code', o.code, 'reserved_until', v_res.expires_at, 'others_told', v_told);
end
$$;

-- Scheduled (every few seconds): expired offers close, overdue reservations fall back to available
-- (which offers the record again to those still waiting).
create or replace function offers_expire_due() returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_offers integer := 0;
  v_res integer := 0;
  o offers;
  x reservations;
begin
  for o in
    update offers set status = 'expired', closed_at = now()
     where id in (select id from offers where status in ('pending', 'notified') and expires_at <= now()
                   order by expires_at limit 5000 for update skip locked)
    returning *
  loop
    v_offers := v_offers + 1;
    update record_participants set status = 'expired', updated_at = now() where id = o.participant_id and status in ('active', 'notified');
    update telegram_deliveries set status = 'cancelled'
     where offer_id = o.id and status = 'pending' and (lease_until is null or lease_until < now());
    perform preorder_sheet_push(o.participant_id);
  end loop;
  for x in
    select * from reservations where status = 'active' and expires_at <= now() order by expires_at limit 100 for update skip locked
  loop
    update reservations set status = 'expired', closed_at = now() where id = x.id;
    update records set status = 'available' where id = x.record_id and status = 'reserved';
    if x.offer_id is not null then
      update offers set status = 'expired', closed_at = now() where id = x.offer_id and status in ('pending', 'notified');
    end if;
    perform sheet_outbox_push('set_fields', 'Справочник', x.record_id,
      jsonb_build_object('fields', jsonb_build_object('status', record_status_label('available'))));
    perform admin_event_add('reservation_expired', x.record_id,
      format('Бронь Telegram %s истекла, пластинка снова в наличии', x.chat_id), '', jsonb_build_object('record_id', x.record_id), 'digest');
    v_res := v_res + 1;
  end loop;
  return jsonb_build_object('offers_expired', v_offers, 'reservations_expired', v_res);
end
$$;

-- GET /api/offers/:code: validity and price, nothing about the holder.
create or replace function offers_lookup(p_code text) returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    'code', o.code,
    'valid', o.status in ('pending', 'notified') and o.expires_at > now() and r.status = 'available' and r.deleted_at is null,
    'status', case when o.status in ('pending', 'notified') and o.expires_at <= now() then 'expired'
                   when o.status = 'pending' then 'notified' else o.status end,
    'record', jsonb_build_object('id', r.id, 'number', r.number, 'slug', r.slug, 'title', r.title, 'artist', r.artist, 'status', r.status),
    'original_price', o.original_price, 'price', o.price, 'discount_percent', o.discount_percent, 'expires_at', o.expires_at)
  from offers o join records r on r.id = o.record_id
  where o.code = p_code
$$;

-- /my: the person's requests and offers.
create or replace function demand_my(p_chat_id bigint) returns jsonb
language sql stable set search_path = public, extensions as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'number', r.number, 'title', r.title, 'artist', r.artist, 'record_status', r.status, 'status', p.status,
      'since', p.created_at, 'offer', (select jsonb_build_object('code', o.code, 'price', o.price, 'expires_at', o.expires_at)
                                        from offers o where o.participant_id = p.id and o.status in ('pending', 'notified')
                                          and o.expires_at > now() order by o.created_at desc limit 1))
      order by p.created_at desc), '[]')
    from record_participants p join records r on r.id = p.record_id
   where p.chat_id = p_chat_id and p.status <> 'cancelled' and r.deleted_at is null
$$;

-- POST /api/admin/records: a record written by the admin (bot or API), reported to Справочник.
create or replace function admin_create_record(p_record jsonb) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  v_id uuid := gen_random_uuid();
  v_fields jsonb;
begin
  -- The catalog's own insert (defaults, field_sources 'admin'); the id is ours so no id from the
  -- request is honoured.
  perform records_import(jsonb_build_array(p_record || jsonb_build_object('id', v_id)), 'admin');
  select * into r from records where id = v_id;
  v_fields := jsonb_strip_nulls(jsonb_build_object('id', r.id, 'title', r.title, 'artist', r.artist, 'genre', r.genre,
    'year', r.year, 'label', r.label, 'country', r.country, 'condition', r.condition, 'price', r.price,
    'photo_url', r.photo_url, 'seller_telegram_id', r.seller_telegram_id, 'status', record_status_label(r.status),
    'description', r.description, 'preorder_min', r.preorder_min, 'preorder_count', 0));
  perform sheet_outbox_push('append_row', 'Справочник', r.id, jsonb_build_object('values', v_fields));
  -- ai_jobs comes with the AI migration; plpgsql resolves it when this runs, after all migrations.
  return jsonb_build_object('record_id', r.id, 'number', r.number, 'status', r.status,
    'ai_enrichment_queued', exists (select 1 from ai_jobs j where j.record_id = r.id and j.state = 'queued'));
end
$$;

-- PATCH /api/admin/records/:id/status. Offers come from the status trigger (unless
-- p_trigger_notifications is false); the answer counts what this change queued.
create or replace function admin_set_status(p_id uuid, p_status text, p_trigger_notifications boolean, p_price_paid numeric) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_previous text;
  v_before bigint;
  v_offers integer;
begin
  if p_status not in ('search_request', 'procurement', 'available', 'reserved', 'sold') then
    raise exception 'unknown status: %', p_status using errcode = '22023', hint = 'status';
  end if;
  select status into v_previous from records where id = p_id and deleted_at is null for update;
  if not found then return null; end if;
  select coalesce(max(id), 0) into v_before from telegram_deliveries;
  perform set_config('vinyl.skip_offers', case when p_trigger_notifications then 'off' else 'on' end, true);
  perform set_config('vinyl.price_paid', coalesce(p_price_paid::text, ''), true);
  update records set status = p_status where id = p_id;
  perform set_config('vinyl.skip_offers', 'off', true);
  perform set_config('vinyl.price_paid', '', true);
  if v_previous is distinct from p_status then
    perform sheet_outbox_push('set_fields', 'Справочник', p_id,
      jsonb_build_object('fields', jsonb_build_object('status', record_status_label(p_status))));
  end if;
  select count(*) into v_offers from telegram_deliveries where id > v_before and kind = 'offer' and
    offer_id in (select id from offers where record_id = p_id);
  return jsonb_build_object('status', 'updated', 'previous_status', v_previous, 'record_status', p_status,
                            'notifications_sent', v_offers, 'special_offers_created', v_offers);
end
$$;

-- GET /api/admin/notifications: what waits for the admin.
create or replace function admin_notifications() returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    'procurement_tasks', (select coalesce(jsonb_agg(jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title,
        'artist', r.artist, 'demand_count', r.verified_count, 'total_demand', r.preorder_count, 'created_at', r.created_at)
        order by r.verified_count desc), '[]') from records r where r.status = 'procurement' and r.deleted_at is null),
    'pre_order_alerts_ready', (select coalesce(jsonb_agg(jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title,
        'artist', r.artist, 'participant_count', w.n) order by w.n desc), '[]')
        from records r join (select record_id, count(*) as n from record_participants
                              where status = 'active' and verified and chat_id is not null group by record_id) w on w.record_id = r.id
       where r.status = 'available' and r.deleted_at is null),
    'failed_deliveries', (select coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'kind', d.kind, 'chat_id', d.chat_id,
        'record_id', d.payload ->> 'record_id', 'attempts', d.attempts, 'error', d.last_error, 'created_at', d.created_at)
        order by d.id desc), '[]') from (select * from telegram_deliveries where status = 'failed' order by id desc limit 200) d),
    'unreachable', (select coalesce(jsonb_agg(jsonb_build_object('participant', p.participant, 'chat_id', p.chat_id,
        'contact', p.contact, 'record_id', p.record_id, 'title', r.title, 'artist', r.artist) order by p.updated_at desc), '[]')
        from record_participants p join records r on r.id = p.record_id where p.status = 'unreachable'),
    'unverified_interest', (select coalesce(jsonb_agg(jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title,
        'artist', r.artist, 'count', u.n, 'contacts', u.contacts) order by u.n desc), '[]')
        from records r join (select record_id, count(*) as n,
                                    jsonb_agg(coalesce(contact, participant) order by created_at) as contacts
                               from record_participants where status = 'active' and not verified and source <> 'demo'
                              group by record_id) u on u.record_id = r.id
       where r.deleted_at is null))
$$;

-- GET /api/admin/statistics, from real rows.
create or replace function admin_statistics() returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    'inventory', jsonb_build_object(
      'available', (select count(*) from records where status = 'available' and deleted_at is null),
      'reserved', (select count(*) from records where status = 'reserved' and deleted_at is null),
      'procurement_tasks', (select count(*) from records where status = 'procurement' and deleted_at is null),
      'search_requests', (select count(*) from records where status = 'search_request' and deleted_at is null),
      'sold_this_month', (select count(*) from sales where sold_at >= date_trunc('month', now()))),
    'revenue', jsonb_build_object(
      'this_week', (select coalesce(sum(price), 0) from sales where sold_at >= date_trunc('week', now())),
      'this_month', (select coalesce(sum(price), 0) from sales where sold_at >= date_trunc('month', now())),
      'average_check', (select coalesce(round(avg(price), 2), 0) from sales where price is not null)),
    'engagement', jsonb_build_object(
      'active_pre_orders', (select count(*) from record_participants p join records r on r.id = p.record_id
                             where p.status in ('active', 'notified') and r.deleted_at is null and p.source <> 'demo'),
      'offers_sent', (select count(*) from offers where notified_at is not null),
      'conversion_rate', (select case when count(*) filter (where notified_at is not null) = 0 then 0
                                 else round(100.0 * count(*) filter (where status = 'converted')
                                            / count(*) filter (where notified_at is not null), 1) end from offers),
      'top_genre', (select genre from sales where genre is not null group by genre order by count(*) desc, genre limit 1)),
    'hot_requests', (select coalesce(jsonb_agg(jsonb_build_object('record_id', id, 'artist', artist, 'title', title,
        'demand', verified_count, 'total_demand', preorder_count, 'status', status) order by verified_count desc, preorder_count desc), '[]')
        from (select * from records where status in ('search_request', 'procurement') and deleted_at is null
               order by verified_count desc, preorder_count desc, id limit 10) h))
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261121002002') on conflict do nothing;
