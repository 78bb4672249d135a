-- pg-safeupdate, which Supabase loads for API sessions on many projects, refuses UPDATE and
-- DELETE without a WHERE clause (SQLSTATE 21000), inside functions too. sheet_sync_push filled
-- two columns of its scratch table for every row without one; the WHERE now says which rows
-- (all of them: each column starts empty), and test/db/safe-updates.test.ts checks every function.

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
    end
   where p.delta is null;
  update _sheet_push p set edited = array(select jsonb_object_keys(p.delta))
   where p.edited is null;

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

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261201000200') on conflict do nothing;
