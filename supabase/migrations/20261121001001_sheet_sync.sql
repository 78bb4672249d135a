-- Sheet sync (docs/sheet-sync.md): what the sheet last sent per record, the sync log, and the
-- functions behind /api/sheet/push, /reconcile, /pull and /ack. Every step is one SQL call.

-- The catalog fields the admin owns in the sheet (shared/sheet-row-schema.ts sheetOwnedCatalogFields).
create or replace function sheet_owned_fields() returns text[]
language sql immutable set search_path = public, extensions as $$
  select array['title', 'artist', 'genre', 'year', 'label', 'country', 'condition', 'price', 'photo_url',
               'seller_telegram_id', 'status', 'description', 'seo_title', 'seo_description', 'seo_keywords',
               'preorder_min']
$$;

-- What the sheet holds for each record as far as the server knows: the fields it last sent (or
-- that an acknowledged outbox operation wrote) and their content hash. Field-level last writer
-- wins compares a pushed row with this snapshot, so only the cells the admin really changed are
-- written, and a stale cell never overwrites a newer server value.
create table sheet_row_state (
  record_id uuid primary key,
  fields jsonb not null default '{}'::jsonb,
  -- null: unknown (an outbox operation changed the row), so the next reconcile asks for it.
  hash text,
  seen_at timestamptz not null default now()
);
alter table sheet_row_state enable row level security;

-- One entry per sync step: rows in and out, errors, duration. /health shows the latest.
create table sheet_sync_log (
  id bigint generated always as identity primary key,
  at timestamptz not null default now(),
  kind text not null,
  rows_in integer not null default 0,
  rows_out integer not null default 0,
  errors integer not null default 0,
  details jsonb,
  duration_ms integer not null default 0
);
create index sheet_sync_log_at_idx on sheet_sync_log (at);
alter table sheet_sync_log enable row level security;

-- How often an operation was handed to the add-on: one delivered many times and never
-- acknowledged points at a failing sheet write (shown in the sidebar).
alter table sheet_outbox add column if not exists deliveries integer not null default 0;
alter table sheet_outbox add column if not exists delivered_at timestamptz;

create or replace function sheet_sync_log_add(p_kind text, p_rows_in integer, p_rows_out integer, p_errors integer,
                                              p_details jsonb, p_started timestamptz) returns void
language sql set search_path = public, extensions as $$
  delete from sheet_sync_log where at < now() - interval '30 days';
  insert into sheet_sync_log (kind, rows_in, rows_out, errors, details, duration_ms)
  values (p_kind, p_rows_in, p_rows_out, p_errors, p_details,
          greatest(0, round(extract(epoch from clock_timestamp() - p_started) * 1000))::integer);
$$;

create or replace function sheet_sync_last() returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object('at', l.at, 'kind', l.kind, 'rows_in', l.rows_in, 'rows_out', l.rows_out,
                            'errors', l.errors, 'duration_ms', l.duration_ms)
    from sheet_sync_log l order by l.id desc limit 1
$$;

-- Hands out the waiting operations, oldest first. Applying is idempotent in the add-on, so a
-- second delivery (an ack lost on the way) is harmless; the counter only feeds diagnostics.
create or replace function sheet_outbox_claim(p_limit integer default 200) returns jsonb
language sql set search_path = public, extensions as $$
  with picked as (
    update sheet_outbox o set deliveries = o.deliveries + 1, delivered_at = now()
     where o.id in (select id from sheet_outbox where acked_at is null and cancelled_at is null
                     order by id limit greatest(1, least(p_limit, 1000)))
    returning o.id, o.op, o.sheet, o.record_id, o.payload)
  select coalesce(jsonb_agg(jsonb_build_object('id', id, 'op', op, 'sheet', sheet, 'record_id', record_id,
                                               'payload', payload) order by id), '[]'::jsonb)
    from picked
$$;

-- Marks operations as applied in the sheet. The catalog snapshot learns what they wrote, so the
-- next push of those rows does not mistake the server's own values for admin edits.
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
  for v_op in
    update sheet_outbox set acked_at = now() where id = any(p_ids) and acked_at is null
    returning id, op, sheet, record_id, payload
  loop
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

-- Server-owned catalog cells of some records (put back when edited by hand).
create or replace function sheet_owned_values(p_ids uuid[]) returns jsonb
language sql stable set search_path = public, extensions as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', r.id, 'preorder_count', r.preorder_count,
           'participants', coalesce((select jsonb_agg(p.participant order by p.created_at, p.participant)::text
                                       from record_participants p where p.record_id = r.id), '[]'),
           'last_interest_at', r.last_interest_at)), '[]'::jsonb)
    from records r where r.id = any(p_ids)
$$;

-- Rows from the sheet (validated by the server with shared/sheet-row-schema.ts): p_rows is
-- [{id, hash, fields}]. Field-level last writer wins: for a row the server has seen before, only
-- the fields that differ from the snapshot are written; a new row is inserted whole; a row of a
-- soft-deleted record brings it back. Changes go through UPDATE/INSERT on records, so every
-- trigger on records (offers on arrival, AI enrichment) fires whatever the path. A field the
-- admin changed becomes the admin's (field_sources) and cancels waiting outbox writes to it.
create or replace function sheet_sync_push(p_rows jsonb, p_reason text default 'edit', p_ack bigint[] default '{}',
                                           p_rejected jsonb default '[]') returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_started timestamptz := clock_timestamp();
  v_acked integer;
  v_inserted integer;
  v_updated integer;
  v_ids uuid[];
  v_ops jsonb;
  v_owned jsonb;
begin
  if jsonb_typeof(p_rows) <> 'array' then
    raise exception 'p_rows must be a JSON array' using errcode = '22023';
  end if;
  v_acked := sheet_outbox_ack(p_ack);

  drop table if exists _sheet_push;
  create temp table _sheet_push on commit drop as
  select distinct on ((e ->> 'id')::uuid)
         (e ->> 'id')::uuid as id, e ->> 'hash' as hash, e -> 'fields' as f, s.fields as snap,
         s.record_id is not null as known, r.id is not null as present, r.deleted_at is not null as was_deleted,
         null::jsonb as delta, null::text[] as edited
    from jsonb_array_elements(p_rows) with ordinality as t(e, n)
    left join sheet_row_state s on s.record_id = (e ->> 'id')::uuid
    left join records r on r.id = (e ->> 'id')::uuid
   order by (e ->> 'id')::uuid, n desc;

  -- delta: the fields to write; edited: the fields the admin is known to have changed.
  update _sheet_push p set delta = case
      when not p.present or p.was_deleted then p.f
      when not p.known then coalesce((select jsonb_object_agg(k, v) from jsonb_each(p.f) kv(k, v) where v <> 'null'::jsonb), '{}')
      else coalesce((select jsonb_object_agg(k, v) from jsonb_each(p.f) kv(k, v)
                      where coalesce(p.snap -> k, 'null'::jsonb) is distinct from v), '{}')
    end;
  update _sheet_push p set edited = array(select jsonb_object_keys(p.delta));

  insert into records (id, title, artist, genre, year, label, country, condition, price, photo_url,
                       seller_telegram_id, status, description, seo_title, seo_description, seo_keywords,
                       preorder_min, field_sources)
  select p.id, x.title, x.artist, x.genre, x.year, x.label, x.country, x.condition, x.price, x.photo_url,
         x.seller_telegram_id, coalesce(x.status, 'available'), x.description, x.seo_title, x.seo_description,
         x.seo_keywords, coalesce(x.preorder_min, 10),
         (select coalesce(jsonb_object_agg(k, 'admin'), '{}') from jsonb_each(p.f) kv(k, v)
           where v <> 'null'::jsonb and k = any(sheet_owned_fields()))
    from _sheet_push p,
         jsonb_to_record(p.f) as x(title text, artist text, genre text, year integer, label text, country text,
           condition text, price numeric, photo_url text, seller_telegram_id bigint, status text, description text,
           seo_title text, seo_description text, seo_keywords text, preorder_min integer)
   where not p.present;
  get diagnostics v_inserted = row_count;

  update records r set
      title = case when p.delta ? 'title' then x.title else r.title end,
      artist = case when p.delta ? 'artist' then x.artist else r.artist end,
      genre = case when p.delta ? 'genre' then x.genre else r.genre end,
      year = case when p.delta ? 'year' then x.year else r.year end,
      label = case when p.delta ? 'label' then x.label else r.label end,
      country = case when p.delta ? 'country' then x.country else r.country end,
      condition = case when p.delta ? 'condition' then x.condition else r.condition end,
      price = case when p.delta ? 'price' then x.price else r.price end,
      photo_url = case when p.delta ? 'photo_url' then x.photo_url else r.photo_url end,
      seller_telegram_id = case when p.delta ? 'seller_telegram_id' then x.seller_telegram_id else r.seller_telegram_id end,
      status = case when p.delta ? 'status' then coalesce(x.status, 'available')
                    when p.was_deleted then coalesce(r.status_before_delete, 'available') else r.status end,
      description = case when p.delta ? 'description' then x.description else r.description end,
      seo_title = case when p.delta ? 'seo_title' then x.seo_title else r.seo_title end,
      seo_description = case when p.delta ? 'seo_description' then x.seo_description else r.seo_description end,
      seo_keywords = case when p.delta ? 'seo_keywords' then x.seo_keywords else r.seo_keywords end,
      preorder_min = case when p.delta ? 'preorder_min' then coalesce(x.preorder_min, 10) else r.preorder_min end,
      deleted_at = null,
      field_sources = (r.field_sources - p.edited)
        || (select coalesce(jsonb_object_agg(k, 'admin'), '{}') from jsonb_each(p.delta) kv(k, v)
             where v <> 'null'::jsonb and k = any(sheet_owned_fields()))
    from _sheet_push p,
         jsonb_to_record(p.delta) as x(title text, artist text, genre text, year integer, label text, country text,
           condition text, price numeric, photo_url text, seller_telegram_id bigint, status text, description text,
           seo_title text, seo_description text, seo_keywords text, preorder_min integer)
   where r.id = p.id and p.present and (p.delta <> '{}'::jsonb or p.was_deleted);
  get diagnostics v_updated = row_count;

  -- The admin's edit wins over a server write still waiting for the sheet: drop that field
  -- from the waiting set_fields operations (cancel an operation left with nothing to do).
  update sheet_outbox o set
      payload = jsonb_set(o.payload, '{fields}', coalesce(o.payload -> 'fields', '{}') - p.edited),
      cancelled_at = case when coalesce(o.payload -> 'fields', '{}') - p.edited = '{}'::jsonb
                           and coalesce(o.payload -> 'notes', '{}') = '{}'::jsonb then now() end
    from _sheet_push p
   where o.op = 'set_fields' and o.sheet = 'Справочник' and o.acked_at is null and o.cancelled_at is null
     and o.record_id = p.id and cardinality(p.edited) > 0 and coalesce(o.payload -> 'fields', '{}') ?| p.edited
     and (p.known or p.was_deleted or not p.present);

  insert into sheet_row_state (record_id, fields, hash, seen_at)
  select p.id, p.f, p.hash, now() from _sheet_push p
  on conflict (record_id) do update set fields = excluded.fields, hash = excluded.hash, seen_at = excluded.seen_at;

  select array_agg(id) into v_ids from _sheet_push;
  v_owned := sheet_owned_values(coalesce(v_ids, '{}'));
  v_ops := sheet_outbox_claim(200);
  perform sheet_sync_log_add('push:' || coalesce(p_reason, 'edit'), jsonb_array_length(p_rows), jsonb_array_length(v_ops),
                             jsonb_array_length(coalesce(p_rejected, '[]')),
                             case when jsonb_array_length(coalesce(p_rejected, '[]')) > 0
                                  then jsonb_build_object('rejected', (select jsonb_agg(x) from (select x from jsonb_array_elements(p_rejected) x limit 20) s))
                             end, v_started);
  drop table if exists _sheet_push;
  return jsonb_build_object('accepted', jsonb_array_length(p_rows), 'inserted', v_inserted, 'updated', v_updated,
                            'acked', v_acked, 'owned', v_owned, 'ops', v_ops);
end
$$;

-- Step one of a reconcile: p_rows is [{id, hash}] for every row of the catalog sheet (hash null:
-- the row is there but invalid). Records the sheet is known to hold but no longer does are
-- soft-deleted (never one an outbox append is still bringing to the sheet); answers the ids whose
-- content the server does not have, and the waiting outbox operations.
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

  select coalesce(jsonb_agg(x.id), '[]'::jsonb) into v_need
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

-- The time trigger's pull: acknowledge what was applied, hand out what waits.
create or replace function sheet_sync_pull(p_ack bigint[] default '{}') returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_acked integer;
begin
  v_acked := sheet_outbox_ack(p_ack);
  return jsonb_build_object('acked', v_acked, 'ops', sheet_outbox_claim(200));
end
$$;

create or replace function sheet_sync_status() returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    'waiting_ops', (select count(*) from sheet_outbox where acked_at is null and cancelled_at is null),
    'last_sync', sheet_sync_last())
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261121001001') on conflict do nothing;
