-- Reservations a careful shop allows (docs/demand-and-offers.md, "Reservations"):
--   * after offers go out, only offer holders may reserve the copy for OFFER_EXCLUSIVE_HOURS;
--   * a person holds at most RESERVATION_LIMIT active reservations;
--   * a record without a price cannot be reserved;
--   * another holder's reservation only pauses the other offers; a sale ends them, a cancelled or
--     expired reservation makes them valid again (with a fresh exclusive window);
--   * the customer and the admin can cancel a reservation.
-- Every rule is checked here, under locks, so two people racing for one copy, or one person racing
-- with themselves over many records, cannot get past them whatever the transport.

-- The exclusive window of a record's offer holders. Kept beside records, not in them: records'
-- columns are the shared field list (shared/record-fields.ts) and the public API's shape.
create table offer_windows (
  record_id uuid primary key references records (id) on delete cascade,
  exclusive_until timestamptz not null
);
alter table offer_windows enable row level security;

-- Who ended a reservation: the customer, the admin (bot), its expiry, a status change from any
-- writer (sheet, API) or the sale.
alter table reservations add column closed_by text
  check (closed_by in ('customer', 'admin', 'expiry', 'status', 'sale'));
create index reservations_chat_active_idx on reservations (chat_id) where status = 'active';

-- An offer paused because another holder reserved its copy: not valid, not expiring; it comes back
-- (extended) if the copy does, and ends if the copy is sold.
alter table offers add column paused_at timestamptz;

-- A record by its number or id, as the bot's deep links carry it.
create or replace function record_id_by_key(p_key text) returns uuid
language sql stable set search_path = public, extensions as $$
  select id from records
   where deleted_at is null and case
           when p_key ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then id = p_key::uuid
           when p_key ~ '^[0-9]{1,9}$' then number = p_key::integer
           else false end
$$;

-- What reserving this record would do for this person, without doing it: the bot shows it with a
-- confirm button, and offers_reserve asks it again under the locks.
create or replace function reservation_verdict(r records, p_chat_id bigint) returns jsonb
language plpgsql stable set search_path = public, extensions as $$
declare
  o offers;
  v_res reservations;
  v_limit integer := app_setting_int('reservation_limit', 2);
  v_held integer;
  v_until timestamptz;
  v_base jsonb := jsonb_build_object('record_id', r.id, 'title', r.title, 'artist', r.artist, 'number', r.number,
                                     'status', r.status);
begin
  if r.status = 'reserved' then
    select * into v_res from reservations where record_id = r.id and status = 'active';
    if v_res.chat_id = p_chat_id then
      return v_base || jsonb_build_object('result', 'already_yours', 'reservation_id', v_res.id, 'price', v_res.price,
                                          'reserved_until', v_res.expires_at);
    end if;
  end if;
  if r.status <> 'available' then
    return v_base || jsonb_build_object('result', 'unavailable');
  end if;
  if r.price is null then
    return v_base || jsonb_build_object('result', 'no_price');
  end if;
  select * into o from offers
   where record_id = r.id and chat_id = p_chat_id and status in ('pending', 'notified') and expires_at > now()
   order by created_at desc, id desc limit 1;
  if o.id is null then
    select w.exclusive_until into v_until from offer_windows w where w.record_id = r.id and w.exclusive_until > now();
    if v_until is not null and exists (select 1 from offers x where x.record_id = r.id
                                          and x.status in ('pending', 'notified') and x.expires_at > now()) then
      return v_base || jsonb_build_object('result', 'exclusive', 'exclusive_until', v_until);
    end if;
  end if;
  select count(*) into v_held from reservations where chat_id = p_chat_id and status = 'active';
  if v_held >= v_limit then
    return v_base || jsonb_build_object('result', 'limit', 'limit', v_limit);
  end if;
  return v_base || jsonb_build_object('result', 'can_reserve', 'price', coalesce(o.price, r.price), 'original_price', r.price,
    'code', o.code, 'offer_id', o.id, 'reservation_days', app_setting_int('reservation_days', 14));
end
$$;

-- /start buy_<record>: what the confirm button would do.
create or replace function offers_reserve_preview(p_record_key text, p_chat_id bigint) returns jsonb
language plpgsql stable set search_path = public, extensions as $$
declare
  r records;
begin
  select * into r from records where id = record_id_by_key(p_record_key);
  if not found then return jsonb_build_object('result', 'not_found'); end if;
  return reservation_verdict(r, p_chat_id) - 'offer_id';
end
$$;

-- The confirm button: reserve the record for this person at their offer's price (else the list
-- price). The person's advisory lock comes first (their reservations are counted once at a time),
-- then the record's row lock (one reservation per copy; the unique index backs it).
create or replace function offers_reserve(p_record_key text, p_chat_id bigint, p_contact text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  o offers;
  v_res reservations;
  v_verdict jsonb;
  v_days integer := app_setting_int('reservation_days', 14);
  v_other offers;
  v_told integer := 0;
begin
  perform pg_advisory_xact_lock(hashtextextended('vinyl:reservations:' || p_chat_id::text, 0));
  select * into r from records where id = record_id_by_key(p_record_key) for update;
  if not found then return jsonb_build_object('result', 'not_found'); end if;
  v_verdict := reservation_verdict(r, p_chat_id);
  if v_verdict ->> 'result' <> 'can_reserve' then
    return v_verdict - 'offer_id';
  end if;
  select * into o from offers where id = (v_verdict ->> 'offer_id')::uuid for update;
  insert into reservations (record_id, chat_id, contact, offer_id, price, expires_at)
  values (r.id, p_chat_id, nullif(p_contact, ''), o.id, coalesce(o.price, r.price), now() + make_interval(days => v_days))
  returning * into v_res;
  update records set status = 'reserved' where id = r.id;
  perform sheet_outbox_push('set_fields', 'Справочник', r.id,
    jsonb_build_object('fields', jsonb_build_object('status', record_status_label('reserved'))));
  -- Other holders keep their offers (paused while the copy is held: not valid, not expiring);
  -- those who received theirs are told, and told again if the copy comes back.
  for v_other in
    update offers set paused_at = now()
     where record_id = r.id and status in ('pending', 'notified') and id is distinct from o.id
    returning *
  loop
    continue when v_other.notified_at is null;
    perform delivery_enqueue('offer_held', v_other.chat_id, offer_json(v_other), v_other.id, v_other.participant_id);
    v_told := v_told + 1;
  end loop;
  perform admin_event_add('reservation', r.id,
    format('Бронь для Telegram %s%s: %s ₽%s, до %s', p_chat_id, coalesce(' (' || nullif(p_contact, '') || ')', ''),
           coalesce(v_res.price::text, '—'), case when o.id is not null then ' по промокоду ' || o.code else '' end,
           to_char(v_res.expires_at, 'DD.MM.YYYY')),
    'Связаться с покупателем и подтвердить продажу (статус 🔴 Sold)',
    jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title, 'artist', r.artist, 'chat_id', p_chat_id,
      'contact', nullif(p_contact, ''), 'price', v_res.price, 'code', o.code, 'reserved_until', v_res.expires_at,
      'reservation_id', v_res.id), 'now');
  return jsonb_build_object('result', 'reserved', 'reservation_id', v_res.id, 'title', r.title, 'artist', r.artist,
    'number', r.number, 'price', v_res.price, 'original_price', r.price, 'code', o.code,
    'reserved_until', v_res.expires_at, 'others_told', v_told);
end
$$;

-- Ends an active reservation (the customer's or the admin's button, or expiry): the copy is on
-- sale again, which (through the status trigger) makes the waiting holders' offers valid again.
-- The person who let it go is not offered it again at once: their request counts as expired.
-- p_chat_id: only that person's reservation (the customer's button); null for the admin.
create or replace function reservation_end(p_reservation_id uuid, p_chat_id bigint, p_by text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  x reservations;
  r records;
  o offers;
begin
  if p_by not in ('customer', 'admin', 'expiry') then
    raise exception 'unknown closer: %', p_by using errcode = '22023', hint = 'by';
  end if;
  select * into x from reservations where id = p_reservation_id;
  if not found or (p_chat_id is not null and x.chat_id <> p_chat_id) then
    return jsonb_build_object('result', 'not_found');
  end if;
  -- Record first, then the reservation: the order every status change takes.
  select * into r from records where id = x.record_id for update;
  select * into x from reservations where id = p_reservation_id for update;
  if x.status <> 'active' then
    return jsonb_build_object('result', 'closed', 'status', x.status, 'number', r.number, 'title', r.title, 'artist', r.artist);
  end if;
  update reservations set status = case when p_by = 'expiry' then 'expired' else 'released' end,
         closed_at = now(), closed_by = p_by
   where id = x.id;
  if x.offer_id is not null then
    update offers set status = case when p_by = 'expiry' then 'expired' else 'cancelled' end,
           cancel_reason = case when p_by = 'expiry' then null else 'reservation_' || p_by end, closed_at = now()
     where id = x.offer_id and status in ('pending', 'notified')
    returning * into o;
    if o.id is not null then
      update record_participants set status = 'expired', updated_at = now()
       where id = o.participant_id and status in ('active', 'notified');
      perform preorder_sheet_push(o.participant_id);
    end if;
  end if;
  update records set status = 'available' where id = r.id and status = 'reserved';
  perform sheet_outbox_push('set_fields', 'Справочник', r.id,
    jsonb_build_object('fields', jsonb_build_object('status', record_status_label('available'))));
  if p_by <> 'customer' then
    perform delivery_enqueue('reservation_ended', x.chat_id, jsonb_build_object('by', p_by, 'number', r.number,
      'title', r.title, 'artist', r.artist, 'record_id', r.id));
  end if;
  perform admin_event_add('reservation_' || case p_by when 'customer' then 'cancelled' when 'admin' then 'cancelled_by_admin' else 'expired' end,
    r.id, format('Бронь Telegram %s %s, пластинка снова в наличии', x.chat_id,
                 case p_by when 'customer' then 'отменена покупателем' when 'admin' then 'отменена админом' else 'истекла' end),
    '', jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title, 'artist', r.artist,
                           'chat_id', x.chat_id, 'contact', x.contact),
    case when p_by = 'customer' then 'now' else 'digest' end);
  return jsonb_build_object('result', 'cancelled', 'number', r.number, 'title', r.title, 'artist', r.artist,
                            'chat_id', x.chat_id);
end
$$;

-- /my: the person's active reservations (newest first).
create or replace function reservations_my(p_chat_id bigint) returns jsonb
language sql stable set search_path = public, extensions as $$
  select coalesce(jsonb_agg(jsonb_build_object('reservation_id', x.id, 'number', r.number, 'title', r.title,
           'artist', r.artist, 'price', x.price, 'reserved_until', x.expires_at) order by x.created_at desc, x.id), '[]')
    from reservations x join records r on r.id = x.record_id
   where x.chat_id = p_chat_id and x.status = 'active'
$$;

-- The admin's list of active reservations (soonest to expire first).
create or replace function reservations_active(p_limit integer default 50) returns jsonb
language sql stable set search_path = public, extensions as $$
  select coalesce(jsonb_agg(jsonb_build_object('reservation_id', x.id, 'number', r.number, 'title', r.title,
           'artist', r.artist, 'chat_id', x.chat_id, 'contact', x.contact, 'price', x.price,
           'reserved_until', x.expires_at) order by x.expires_at, x.id), '[]')
    from (select * from reservations where status = 'active' order by expires_at, id limit greatest(1, least(p_limit, 200))) x
    join records r on r.id = x.record_id
$$;

-- Offers for every reachable active participant of an available record, as before, plus: the
-- holders' exclusive window opens (again), and holders whose live offer was paused while the copy
-- was held get it back, valid for a full offer period from now.
create or replace function offers_create_for_record(p_record_id uuid) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  v_pct integer := app_setting_int('discount_percent', 25);
  v_ttl integer := app_setting_int('offer_ttl_days', 14);
  v_window integer := app_setting_int('offer_exclusive_hours', 48);
  v_expires timestamptz;
  v_created integer := 0;
  v_again integer := 0;
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
  -- Paused offers come back first.
  for o in
    update offers set expires_at = greatest(expires_at, v_expires), paused_at = null
     where record_id = r.id and status in ('pending', 'notified') and paused_at is not null
    returning *
  loop
    if o.notified_at is not null then
      perform delivery_enqueue('offer_again', o.chat_id, offer_json(o), o.id, o.participant_id);
      v_again := v_again + 1;
    end if;
  end loop;
  for o in
    insert into offers (code, record_id, participant_id, chat_id, original_price, discount_percent, price, expires_at)
    select offer_new_code(r.number), r.id, p.id, p.chat_id, r.price, v_pct, round(r.price * (100 - v_pct) / 100.0), v_expires
      from record_participants p
     where p.record_id = r.id and p.status = 'active' and p.verified and p.chat_id is not null
       and not exists (select 1 from offers x where x.participant_id = p.id and x.status in ('pending', 'notified'))
     order by p.created_at, p.participant
    returning *
  loop
    v_created := v_created + 1;
    perform delivery_enqueue('offer', o.chat_id, offer_json(o), o.id, o.participant_id);
    perform preorder_sheet_push(o.participant_id);
  end loop;
  if v_created + v_again > 0 then
    insert into offer_windows (record_id, exclusive_until) values (r.id, now() + make_interval(hours => v_window))
    on conflict (record_id) do update set exclusive_until = excluded.exclusive_until;
  end if;
  select coalesce(jsonb_agg(coalesce(contact, participant) order by created_at, participant), '[]') into v_unverified
    from record_participants where record_id = r.id and status = 'active' and not verified and source <> 'demo';
  if jsonb_array_length(v_unverified) > 0 then
    perform admin_event_add('unverified_waiting', r.id,
      format('Пластинка в наличии; без Telegram ждут %s: %s', jsonb_array_length(v_unverified), left(v_unverified::text, 1000)),
      'Связаться вручную', jsonb_build_object('record_id', r.id, 'contacts', v_unverified), 'digest');
  end if;
  return jsonb_build_object('recipients', v_created, 'offers_created', v_created, 'offers_renewed', v_again,
                            'expires_at', v_expires, 'unverified', jsonb_array_length(v_unverified));
end
$$;

-- Every status change of a record, from any writer. As before, except that a sale (not a
-- reservation) is what ends the other holders' offers: they are told and stay on the list.
create or replace function records_status_changed() returns trigger
language plpgsql set search_path = public, extensions as $$
declare
  v_res reservations;
  v_price numeric;
  v_other offers;
begin
  if old.status = 'reserved' and new.status <> 'sold' then
    update reservations set status = 'released', closed_at = now(), closed_by = 'status'
     where record_id = new.id and status = 'active' returning * into v_res;
    if found and v_res.offer_id is not null then
      update offers set status = 'cancelled', cancel_reason = 'released', closed_at = now()
       where id = v_res.offer_id and status in ('pending', 'notified');
      update record_participants p set status = 'active', updated_at = now()
        from offers o where o.id = v_res.offer_id and p.id = o.participant_id and p.status in ('notified', 'active');
    end if;
    -- Not back on sale (back to procurement, say): paused offers run out on their own time again.
    if new.status <> 'available' then
      update offers set paused_at = null where record_id = new.id and paused_at is not null;
    end if;
  end if;
  if new.status = 'sold' then
    update reservations set status = 'sold', closed_at = now(), closed_by = 'sale'
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
    for v_other in
      update offers set status = 'cancelled', cancel_reason = 'gone', closed_at = now()
       where record_id = new.id and status in ('pending', 'notified') and id is distinct from v_res.offer_id
      returning *
    loop
      update record_participants set status = 'active', updated_at = now()
       where id = v_other.participant_id and status in ('notified', 'active');
      update telegram_deliveries set status = 'cancelled'
       where offer_id = v_other.id and status = 'pending' and (lease_until is null or lease_until < now());
      -- Only a holder who got the offer is told; one in flight is told by offer_delivered.
      if v_other.notified_at is not null then
        perform delivery_enqueue('offer_gone', v_other.chat_id, offer_json(v_other), v_other.id, v_other.participant_id);
      end if;
      perform preorder_sheet_push(v_other.participant_id);
    end loop;
    delete from offer_windows where record_id = new.id;
  end if;
  if new.status = 'available' and coalesce(current_setting('vinyl.skip_offers', true), '') <> 'on' then
    perform offers_create_for_record(new.id);
  end if;
  return null;
end
$$;

-- Scheduled: expired offers close (not paused ones, whose copy another holder holds), overdue
-- reservations end through reservation_end (the copy goes back to the waiting holders).
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
     where id in (select id from offers where status in ('pending', 'notified') and expires_at <= now() and paused_at is null
                   order by expires_at, id limit 5000 for update skip locked)
    returning *
  loop
    v_offers := v_offers + 1;
    update record_participants set status = 'expired', updated_at = now() where id = o.participant_id and status in ('active', 'notified');
    update telegram_deliveries set status = 'cancelled'
     where offer_id = o.id and status = 'pending' and (lease_until is null or lease_until < now());
    perform preorder_sheet_push(o.participant_id);
  end loop;
  for x in
    select * from reservations where status = 'active' and expires_at <= now() order by expires_at, id limit 100
  loop
    if (reservation_end(x.id, null, 'expiry') ->> 'result') = 'cancelled' then
      v_res := v_res + 1;
    end if;
  end loop;
  return jsonb_build_object('offers_expired', v_offers, 'reservations_expired', v_res);
end
$$;

-- Called by delivery_complete when an offer's message was sent. As before, plus: an offer paused
-- while its message was in flight is followed by the "reserved by another holder" notice.
create or replace function offer_delivered(p_offer_id uuid) returns void
language plpgsql set search_path = public, extensions as $$
declare
  o offers;
begin
  update offers set status = 'notified', notified_at = now() where id = p_offer_id and status = 'pending' returning * into o;
  if found then
    update record_participants set status = 'notified', updated_at = now() where id = o.participant_id and status = 'active';
    perform preorder_sheet_push(o.participant_id);
    if o.paused_at is not null then
      perform delivery_enqueue('offer_held', o.chat_id, offer_json(o), o.id, o.participant_id);
    end if;
    return;
  end if;
  select * into o from offers where id = p_offer_id;
  if found and o.status = 'cancelled' and o.cancel_reason = 'gone' then
    perform delivery_enqueue('offer_gone', o.chat_id, offer_json(o), o.id, o.participant_id);
  end if;
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202000100') on conflict do nothing;
