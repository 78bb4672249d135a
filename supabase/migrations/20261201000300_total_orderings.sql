-- Orderings that the API, the sheet or the bot show are total: every ORDER BY of a returned list
-- ends with a unique key, so PGlite and PostgreSQL (whose sorts break ties differently) answer
-- alike, and a page never shuffles between two calls. Records break ties by their number (what the
-- admin sees), people by their participant key, everything else by id.
-- Functions without a change here were already total (catalog_tier, delivery_claim,
-- sheet_outbox_claim, ai_jobs_claim, record_participants_text ...).

-- Acknowledged operations reach the snapshot in the order they were applied.
create or replace function sheet_outbox_ack(p_ids bigint[]) returns integer
language plpgsql set search_path = public, extensions as $$
declare
  v_op record;
  v_count integer := 0;
  v_fields jsonb;
begin
  if p_ids is null or cardinality(p_ids) = 0 then
    return 0;
  end if;
  -- In id order, the order the add-on applied them: two writes to one cell leave the later value
  -- in the snapshot, as in the sheet (UPDATE ... RETURNING has no order).
  for v_op in
    select o.id, o.op, o.sheet, o.record_id, o.payload from sheet_outbox o
     where o.id = any(p_ids) and o.acked_at is null
     order by o.id for update
  loop
    update sheet_outbox set acked_at = now() where id = v_op.id;
    v_count := v_count + 1;
    continue when v_op.sheet <> 'Справочник';
    v_fields := case v_op.op when 'set_fields' then v_op.payload -> 'fields' else v_op.payload -> 'values' end;
    select coalesce(jsonb_object_agg(k, v), '{}'::jsonb) into v_fields
      from jsonb_each(coalesce(v_fields, '{}'::jsonb)) kv(k, v) where k = any(sheet_owned_fields());
    if v_op.op = 'set_fields' then
      update sheet_row_state set fields = fields || v_fields, hash = null where record_id = v_op.record_id;
    elsif v_op.payload -> 'values' ->> 'id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
      insert into sheet_row_state (record_id, fields, hash) values ((v_op.payload -> 'values' ->> 'id')::uuid, v_fields, null)
      on conflict (record_id) do update set fields = sheet_row_state.fields || excluded.fields, hash = null;
    end if;
  end loop;
  return v_count;
end
$$;

create or replace function sheet_owned_values(p_ids uuid[]) returns jsonb
language sql stable set search_path = public, extensions as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', r.id, 'preorder_count', r.preorder_count,
           'participants', coalesce((select jsonb_agg(p.participant order by p.created_at, p.participant)::text
                                       from record_participants p where p.record_id = r.id), '[]'),
           'last_interest_at', r.last_interest_at) order by r.number), '[]'::jsonb)
    from records r where r.id = any(p_ids)
$$;

create or replace function sheet_sync_reconcile(p_rows jsonb, p_ack bigint[] default '{}') returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_started timestamptz := clock_timestamp();
  v_deleted integer;
  v_need jsonb;
  v_ops jsonb;
begin
  if jsonb_typeof(p_rows) <> 'array' then
    raise exception 'p_rows must be a JSON array' using errcode = '22023';
  end if;
  perform sheet_outbox_ack(p_ack);

  drop table if exists _sheet_seen;
  create temp table _sheet_seen on commit drop as
  select distinct on ((e ->> 'id')::uuid) (e ->> 'id')::uuid as id, e ->> 'hash' as hash
    from jsonb_array_elements(p_rows) e;
  create index on _sheet_seen (id);
  analyze _sheet_seen;

  update records r set deleted_at = now(), status_before_delete = r.status, status = 'deleted'
    from sheet_row_state s
   where s.record_id = r.id and r.deleted_at is null
     and not exists (select 1 from _sheet_seen x where x.id = r.id)
     and not exists (select 1 from sheet_outbox o where o.op = 'append_row' and o.sheet = 'Справочник'
                       and o.acked_at is null and o.cancelled_at is null and o.payload -> 'values' ->> 'id' = r.id::text);
  get diagnostics v_deleted = row_count;

  select coalesce(jsonb_agg(x.id order by x.id), '[]'::jsonb) into v_need
    from _sheet_seen x
    left join sheet_row_state s on s.record_id = x.id
    left join records r on r.id = x.id
   where x.hash is not null
     and (s.hash is distinct from x.hash or r.id is null or r.deleted_at is not null);

  v_ops := sheet_outbox_claim(200);
  perform sheet_sync_log_add('reconcile', jsonb_array_length(p_rows), jsonb_array_length(v_ops), 0,
                             jsonb_build_object('need', jsonb_array_length(v_need), 'deleted', v_deleted), v_started);
  drop table if exists _sheet_seen;
  return jsonb_build_object('need', v_need, 'deleted', v_deleted, 'ops', v_ops);
end
$$;

-- A batch of records shares one created_at (records_import): the older number wins.
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
              (r.status = 'sold') asc, r.created_at, r.number
     limit 1
  $q$, v_filter) into v_id using cardinality(v_words), v_words;
  return v_id;
end
$$;

-- The admin's digest: equal demand by record number; events of one transaction share created_at.
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
           'status', r.status) order by t.v + t.u desc, r.number), '[]')
    into v_requests
    from (select record_id, count(*) filter (where verified) as v, count(*) filter (where not verified) as u
            from taken group by record_id) t join records r on r.id = t.record_id;
  with taken as (
    update admin_events set digested_at = now()
     where notify = 'digest' and digested_at is null
    returning id, type, details, record_id, created_at)
  select coalesce(jsonb_agg(jsonb_build_object('type', type, 'details', details, 'record_id', record_id) order by created_at, id), '[]')
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

-- Offers go out (and unverified contacts are listed) in the order people asked; ties by their key.
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
     order by p.created_at, p.participant
    returning *
  loop
    v_created := v_created + 1;
    perform delivery_enqueue('offer', o.chat_id, offer_json(o), o.id, o.participant_id);
    perform preorder_sheet_push(o.participant_id);
  end loop;
  select coalesce(jsonb_agg(coalesce(contact, participant) order by created_at, participant), '[]') into v_unverified
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

-- /my in the bot.
create or replace function demand_my(p_chat_id bigint) returns jsonb
language sql stable set search_path = public, extensions as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'number', r.number, 'title', r.title, 'artist', r.artist, 'record_status', r.status, 'status', p.status,
      'since', p.created_at, 'offer', (select jsonb_build_object('code', o.code, 'price', o.price, 'expires_at', o.expires_at)
                                        from offers o where o.participant_id = p.id and o.status in ('pending', 'notified')
                                          and o.expires_at > now() order by o.created_at desc limit 1))
      order by p.created_at desc, r.number desc), '[]')
    from record_participants p join records r on r.id = p.record_id
   where p.chat_id = p_chat_id and p.status <> 'cancelled' and r.deleted_at is null
$$;

-- GET /api/admin/notifications and the bot's admin screens: procurement tasks with equal verified
-- counts came back in different orders on PGlite and PostgreSQL.
create or replace function admin_notifications() returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    'procurement_tasks', (select coalesce(jsonb_agg(jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title,
        'artist', r.artist, 'demand_count', r.verified_count, 'total_demand', r.preorder_count, 'created_at', r.created_at)
        order by r.verified_count desc, r.number), '[]') from records r where r.status = 'procurement' and r.deleted_at is null),
    'pre_order_alerts_ready', (select coalesce(jsonb_agg(jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title,
        'artist', r.artist, 'participant_count', w.n) order by w.n desc, r.number), '[]')
        from records r join (select record_id, count(*) as n from record_participants
                              where status = 'active' and verified and chat_id is not null group by record_id) w on w.record_id = r.id
       where r.status = 'available' and r.deleted_at is null),
    'failed_deliveries', (select coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'kind', d.kind, 'chat_id', d.chat_id,
        'record_id', d.payload ->> 'record_id', 'attempts', d.attempts, 'error', d.last_error, 'created_at', d.created_at)
        order by d.id desc), '[]') from (select * from telegram_deliveries where status = 'failed' order by id desc limit 200) d),
    'unreachable', (select coalesce(jsonb_agg(jsonb_build_object('participant', p.participant, 'chat_id', p.chat_id,
        'contact', p.contact, 'record_id', p.record_id, 'title', r.title, 'artist', r.artist)
        order by p.updated_at desc, r.number, p.participant), '[]')
        from record_participants p join records r on r.id = p.record_id where p.status = 'unreachable'),
    'unverified_interest', (select coalesce(jsonb_agg(jsonb_build_object('record_id', r.id, 'number', r.number, 'title', r.title,
        'artist', r.artist, 'count', u.n, 'contacts', u.contacts) order by u.n desc, r.number), '[]')
        from records r join (select record_id, count(*) as n,
                                    jsonb_agg(coalesce(contact, participant) order by created_at, participant) as contacts
                               from record_participants where status = 'active' and not verified and source <> 'demo'
                              group by record_id) u on u.record_id = r.id
       where r.deleted_at is null))
$$;

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
        'demand', verified_count, 'total_demand', preorder_count, 'status', status)
        order by verified_count desc, preorder_count desc, number), '[]')
        from (select * from records where status in ('search_request', 'procurement') and deleted_at is null
               order by verified_count desc, preorder_count desc, number limit 10) h))
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261201000300') on conflict do nothing;
