-- One definition of a record (docs/record-fields.md). The fields and their rules are defined once,
-- in shared/record-fields.ts; the sheet, the admin API, the bot and the website validate with
-- schemas built from it, and the database holds the same limits here:
--   * check constraints for every length and number bound of shared/record-fields.ts;
--   * records_check(), a BEFORE trigger for what a constraint cannot say: text normalised the way
--     shared/text-normalize.ts does it, the year at most next year (counted when it is written),
--     and genre, condition and price before a record goes on sale;
--   * record_catalog_fields(), the list of catalog fields in SQL, which a test compares with the
--     TypeScript table; the functions that read or write a record's fields use it, to_jsonb(r) and
--     jsonb_populate_record() instead of their own column lists, so a new field cannot be dropped
--     by one of them without a test failing (test/records/record-fields.test.ts).

-- The catalog fields, in shared/record-fields.ts order (the sheet's columns of the same keys).
create or replace function record_catalog_fields() returns text[]
language sql immutable parallel safe as $$
  select array['title', 'artist', 'genre', 'year', 'label', 'country', 'condition', 'price', 'photo_url',
               'seller_telegram_id', 'status', 'description', 'seo_title', 'seo_description', 'seo_keywords',
               'preorder_min']
$$;

-- What a record on sale (available, reserved, sold) must have: shared/record-fields.ts forSaleFields.
create or replace function record_for_sale_fields() returns text[]
language sql immutable parallel safe as $$
  select array['genre', 'condition', 'price']
$$;

-- The sheet owns every catalog field.
create or replace function sheet_owned_fields() returns text[]
language sql immutable set search_path = public, extensions as $$
  select record_catalog_fields()
$$;

-- The defaults of the catalog fields that may not be empty ({"status": "available", "preorder_min": 10}),
-- read from the table itself so they are said once: a cleared sheet cell of such a field means its default.
create or replace function record_field_defaults() returns jsonb
language plpgsql stable set search_path = public, extensions as $$
declare
  v jsonb;
begin
  execute coalesce((
    select 'select jsonb_build_object(' || string_agg(format('%L, %s', a.attname, pg_get_expr(d.adbin, d.adrelid)), ', ' order by a.attnum) || ')'
      from pg_attribute a join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
     where a.attrelid = 'public.records'::regclass and a.attnotnull and not a.attisdropped
       and a.attname = any(record_catalog_fields())), 'select null::jsonb') into v;
  return coalesce(v, '{}'::jsonb);
end
$$;

-- shared/text-normalize.ts normalizeText, step for step (a test feeds both the same strings):
-- invisible format characters dropped, line breaks made \n and Unicode spaces a plain space, other
-- control characters dropped, NFC; then one-line text has every run of whitespace made one space,
-- a multiline text keeps \n and \t; both trimmed; empty becomes null.
create or replace function vinyl_clean_text_steps(p_text text, p_multiline boolean) returns text
language sql immutable parallel safe as $$
  select nullif(case when p_multiline then regexp_replace(s, '^[ \t\n]+|[ \t\n]+$', '', 'g')
                     else btrim(regexp_replace(s, '[ \t\n]+', ' ', 'g'), ' ') end, '')
    from (select normalize(regexp_replace(regexp_replace(regexp_replace(regexp_replace(p_text,
            '[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]', '', 'g'),
            '\r\n?|[\u000B\u000C\u0085\u2028\u2029]', E'\n', 'g'),
            '[\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]', ' ', 'g'),
            '[\u0001-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]', '', 'g'), NFC) as s) x
$$;

-- Most text needs nothing: one regular expression and the NFC quick check let it through as it is.
-- A plain CASE without a sub-select, so Postgres inlines it (a SQL function call per field and row
-- cost more than the checks themselves); only text that needs work pays for the steps.
create or replace function vinyl_clean_text(p_text text, p_multiline boolean default false) returns text
language sql immutable parallel safe as $$
  select case
    when p_text <> '' and p_text is nfc normalized
         and p_text !~ case when p_multiline
           then '[\u0001-\u0008\u000B-\u001F\u007F-\u00A0\u00AD\u1680\u180E\u2000-\u200F\u2028-\u202F\u205F-\u2064\u2066-\u2069\u3000\uFEFF]|^[ \t\n]|[ \t\n]$'
           else '[\u0001-\u001F\u007F-\u00A0\u00AD\u1680\u180E\u2000-\u200F\u2028-\u202F\u205F-\u2064\u2066-\u2069\u3000\uFEFF]|^ | $|  ' end
      then p_text
    else vinyl_clean_text_steps(p_text, p_multiline)
  end
$$;

-- Limits of shared/record-fields.ts the table did not hold yet. Every writer so far applied these
-- bounds or tighter ones (the sheet's schema, the admin API, the AI's checks), so existing rows pass.
-- Added NOT VALID, then validated one by one: a row that breaks one stops the migration with the
-- constraint's name (fix the row, run again) instead of a bare failure of the whole ALTER.
alter table records
  add constraint records_genre_limit check (char_length(genre) <= 100) not valid,
  add constraint records_label_limit check (char_length(label) <= 200) not valid,
  add constraint records_country_limit check (char_length(country) <= 100) not valid,
  add constraint records_condition_limit check (char_length(condition) <= 100) not valid,
  add constraint records_price_limit check (price <= 100000000) not valid,
  add constraint records_photo_url_limit check (char_length(photo_url) <= 2000 and photo_url ~* '^https?://') not valid,
  -- Up to 2^53 - 1: what a JSON number (and the sheet) can carry exactly.
  add constraint records_seller_telegram_id_limit check (seller_telegram_id between 1 and 9007199254740991) not valid,
  add constraint records_description_limit check (char_length(description) <= 20000) not valid,
  add constraint records_seo_title_limit check (char_length(seo_title) <= 300) not valid,
  add constraint records_seo_description_limit check (char_length(seo_description) <= 1000) not valid,
  add constraint records_seo_keywords_limit check (char_length(seo_keywords) <= 1000) not valid,
  add constraint records_preorder_min_limit check (preorder_min <= 100000) not valid;
alter table records validate constraint records_genre_limit;
alter table records validate constraint records_label_limit;
alter table records validate constraint records_country_limit;
alter table records validate constraint records_condition_limit;
alter table records validate constraint records_price_limit;
alter table records validate constraint records_photo_url_limit;
alter table records validate constraint records_seller_telegram_id_limit;
alter table records validate constraint records_description_limit;
alter table records validate constraint records_seo_title_limit;
alter table records validate constraint records_seo_description_limit;
alter table records validate constraint records_seo_keywords_limit;
alter table records validate constraint records_preorder_min_limit;

-- Whoever writes a record (sheet sync, admin API, bot, AI, import, a hand-written UPDATE): text is
-- normalised, the year is at most next year, and a record does not go on sale without what buyers
-- and offers need. Errors carry the field in HINT, which the server turns into a 400 naming it.
-- Runs before records_derive_trg (triggers fire in name order), so words and slug see clean text.
create or replace function records_check() returns trigger
language plpgsql set search_path = public, extensions as $$
declare
  v_new jsonb := to_jsonb(new);
  v_old jsonb := case when tg_op = 'UPDATE' then to_jsonb(old) end;
  v_clean jsonb;
  v_field text;
  v_text text;
  v_cleaned text;
  v_max_year integer;
  c_on_sale constant text[] := array['available', 'reserved', 'sold'];
begin
  -- Loops of plain expressions, not a query per row: this runs for every row of a 100,000-record import.
  foreach v_field in array record_catalog_fields() loop
    continue when jsonb_typeof(v_new -> v_field) is distinct from 'string';
    v_text := v_new ->> v_field;
    continue when v_old is not null and v_text is not distinct from v_old ->> v_field;
    v_cleaned := vinyl_clean_text(v_text, v_field = 'description');
    if v_cleaned is distinct from v_text then
      v_clean := coalesce(v_clean, '{}'::jsonb) || jsonb_build_object(v_field, v_cleaned);
    end if;
  end loop;
  if v_clean is not null then
    new := jsonb_populate_record(new, v_clean);
    v_new := v_new || v_clean;
  end if;

  if new.year is not null and (tg_op = 'INSERT' or new.year is distinct from old.year) then
    v_max_year := extract(year from now() at time zone 'utc')::integer + 1;
    if new.year > v_max_year then
      raise exception 'year: expected a number from 1900 to %', v_max_year using errcode = '23514', hint = 'year';
    end if;
  end if;

  -- On sale: checked when a record enters it (insert, or from a search request or procurement task)
  -- and when one of the fields is cleared; a record moving within it (reserved, back to available)
  -- is left alone, so rows from before this rule keep working.
  if new.status = any(c_on_sale) then
    foreach v_field in array record_for_sale_fields() loop
      if jsonb_typeof(v_new -> v_field) = 'null'
         and (tg_op = 'INSERT' or old.status <> all(c_on_sale) or jsonb_typeof(v_old -> v_field) <> 'null') then
        raise exception '%: required when the status is available, reserved or sold', v_field
          using errcode = '23514', hint = v_field;
      end if;
    end loop;
  end if;
  return new;
end
$$;

drop trigger if exists records_check_trg on records;
create trigger records_check_trg
  before insert or update on records
  for each row execute function records_check();

-- Text stored before this migration, normalised once (the trigger does it for every later write).
-- A required field that would be left empty keeps its text.
do $$
declare
  v_field text;
begin
  for v_field in
    select c.column_name from information_schema.columns c
     where c.table_schema = 'public' and c.table_name = 'records' and c.data_type = 'text'
       and c.column_name = any(record_catalog_fields())
  loop
    execute format($q$update records set %1$I = coalesce(vinyl_clean_text(%1$I, %2$L), %1$I)
                       where %1$I is distinct from coalesce(vinyl_clean_text(%1$I, %2$L), %1$I)$q$,
                   v_field, v_field = 'description');
  end loop;
end
$$;

-- The public shape of a record (GET /api/records and /api/records/:id): every column but the
-- internal ones, the photo as image_url and the pre-order counters as one object. A column added
-- to records appears here unless listed as internal; the test compares the keys with
-- shared/record-fields.ts (api). No SET clause: called once per listed record, it must stay inlinable.
create or replace function record_json(r records, p_full boolean) returns jsonb
language sql stable as $$
  select (to_jsonb(r) - array['photo_url', 'seller_telegram_id', 'preorder_min', 'preorder_count', 'last_interest_at',
                              'verified_count', 'field_sources', 'search_words', 'description_excerpt', 'priority',
                              'status_before_delete', 'deleted_at'])
      || jsonb_build_object(
           'image_url', r.photo_url,
           'description', case when p_full then r.description else r.description_excerpt end,
           'preorder', jsonb_build_object('minimum', r.preorder_min, 'count', r.preorder_count,
                                          'last_interest_at', r.last_interest_at))
$$;

-- Insert records given as a JSON array (demo catalog, imports, benchmarks, the admin API and new
-- sheet rows). A field left out or null gets the column's default; the given catalog fields are
-- marked as p_source's in field_sources. Keys are the catalog fields plus the server columns an
-- import may carry over; anything else is refused by name (a typo, or a field the table lacks).
-- One INSERT per run of records that give the same keys, in the given order, so numbers follow it.
create or replace function records_import(p_records jsonb, p_source text default 'admin') returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_allowed text[] := record_catalog_fields() || array['id', 'preorder_count', 'last_interest_at', 'created_at'];
  v_bad text;
  v_run record;
  v_n integer;
  v_count integer := 0;
begin
  if jsonb_typeof(p_records) is distinct from 'array' then
    raise exception 'p_records must be a JSON array' using errcode = '22023';
  end if;
  if exists (select 1 from jsonb_array_elements(p_records) e where jsonb_typeof(e) <> 'object') then
    raise exception 'p_records must be an array of objects' using errcode = '22023';
  end if;
  select k into v_bad from jsonb_array_elements(p_records) e, jsonb_object_keys(e) k
   where k <> all(v_allowed) order by k limit 1;
  if v_bad is not null then
    raise exception 'unknown record field: %', v_bad using errcode = '22023', hint = v_bad;
  end if;
  for v_run in
    with given as (
      select n, jsonb_strip_nulls(e) as e from jsonb_array_elements(p_records) with ordinality t(e, n)),
    keyed as (
      select n, array(select k from jsonb_object_keys(e) k order by k) as keys,
             e || jsonb_build_object('field_sources', (select coalesce(jsonb_object_agg(k, p_source), '{}')
                                                         from jsonb_object_keys(e) k where k = any(record_catalog_fields()))) as e
        from given),
    runs as (
      select n, keys, e, count(*) filter (where starts) over (order by n) as run
        from (select *, keys is distinct from lag(keys) over (order by n) as starts from keyed) x)
    select run, keys, jsonb_agg(e order by n) as rows from runs group by run, keys order by run
  loop
    execute format($q$insert into records (%1$s) select %1$s from jsonb_populate_recordset(null::records, $1)
                      on conflict (id) do nothing$q$,
                   (select string_agg(quote_ident(k), ', ') from unnest(v_run.keys || 'field_sources'::text) k))
      using v_run.rows;
    get diagnostics v_n = row_count;
    v_count := v_count + v_n;
  end loop;
  return jsonb_build_object('inserted', v_count);
end
$$;

-- Rows from the sheet (20261201000200_safe_updates.sql, now without its own column lists): new rows
-- go through records_import, known ones get exactly their changed fields via jsonb_populate_record.
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
  v_defaults jsonb := record_field_defaults();
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
  -- A cleared cell of a field that may not be empty (Статус, Минимум_предзаказов) means its default.
  update _sheet_push p set delta = p.delta || (select jsonb_object_agg(k, v) from jsonb_each(v_defaults) d(k, v)
                                                where p.delta -> k = 'null'::jsonb)
   where p.present and exists (select 1 from jsonb_each(v_defaults) d(k, v) where p.delta -> k = 'null'::jsonb);

  select (records_import(coalesce(jsonb_agg(p.f || jsonb_build_object('id', p.id) order by p.id), '[]'), 'admin') ->> 'inserted')::integer
    into v_inserted
    from _sheet_push p where not p.present;

  execute format($q$
    update records r set (%1$s) = (select %1$s from jsonb_populate_record(r, p.delta)),
        status = case when p.delta ? 'status' then p.delta ->> 'status'
                      when p.was_deleted then coalesce(r.status_before_delete, %2$L) else r.status end,
        deleted_at = null,
        field_sources = (r.field_sources - p.edited)
          || (select coalesce(jsonb_object_agg(k, 'admin'), '{}') from jsonb_each(p.delta) kv(k, v)
               where v <> 'null'::jsonb and k = any(record_catalog_fields()))
      from _sheet_push p
     where r.id = p.id and p.present and (p.delta <> '{}'::jsonb or p.was_deleted)
  $q$, (select string_agg(quote_ident(f), ', ' order by n) from unnest(record_catalog_fields()) with ordinality u(f, n) where f <> 'status'),
       v_defaults ->> 'status');
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

-- A record as a Справочник row (column keys of shared/sheet-layout.ts): every catalog field that
-- is set, the status as its label, and the server's cells.
create or replace function record_sheet_values(r records) returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_strip_nulls(
    (select jsonb_object_agg(k, v) from jsonb_each(to_jsonb(r)) kv(k, v) where k = any(record_catalog_fields()))
    || jsonb_build_object('id', r.id, 'status', record_status_label(r.status), 'preorder_count', r.preorder_count,
                          'participants', record_participants_text(r.id), 'last_interest_at', r.last_interest_at))
$$;

-- POST /api/admin/records (20261121002002_offers.sql), its sheet row from record_sheet_values.
create or replace function admin_create_record(p_record jsonb) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  v_id uuid := gen_random_uuid();
begin
  -- The catalog's own insert (defaults, field_sources 'admin'); the id is ours so no id from the
  -- request is honoured.
  perform records_import(jsonb_build_array(p_record || jsonb_build_object('id', v_id)), 'admin');
  select * into r from records where id = v_id;
  perform sheet_outbox_push('append_row', 'Справочник', r.id, jsonb_build_object('values', record_sheet_values(r)));
  return jsonb_build_object('record_id', r.id, 'number', r.number, 'status', r.status,
    'ai_enrichment_queued', exists (select 1 from ai_jobs j where j.record_id = r.id and j.state = 'queued'));
end
$$;

-- What the enrichment needs to know about a record: its catalog fields, id and who wrote what;
-- null when there is none or it is deleted.
create or replace function ai_record_snapshot(p_record_id uuid) returns jsonb
language sql stable set search_path = public, extensions as $$
  select (select jsonb_object_agg(k, v) from jsonb_each(to_jsonb(r)) kv(k, v)
           where k = any(record_catalog_fields() || array['id', 'field_sources']))
    from records r where r.id = p_record_id and r.deleted_at is null
$$;

-- The enrichment's results (20261121003001_ai_jobs.sql), written with jsonb_populate_record so the
-- fields it may fill are listed once (the loop below).
create or replace function ai_store_result(p_record_id uuid, p_fields jsonb, p_force boolean default false) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_record records;
  v_current jsonb;
  v_key text;
  v_value text;
  v_old text;
  v_source text;
  v_set jsonb := '{}'::jsonb;
  v_notes jsonb := '{}'::jsonb;
begin
  if jsonb_typeof(p_fields) is distinct from 'object' then
    raise exception 'p_fields must be a JSON object' using errcode = '22023', hint = 'fields';
  end if;
  select * into v_record from records where id = p_record_id and deleted_at is null for update;
  if not found then
    return jsonb_build_object('found', false, 'applied', '[]'::jsonb);
  end if;
  v_current := to_jsonb(v_record);
  for v_key in
    select k from unnest(array['label', 'country', 'description', 'seo_title', 'seo_description', 'seo_keywords']) k
     where p_fields ? k
  loop
    v_value := nullif(btrim(p_fields ->> v_key), '');
    continue when v_value is null;
    v_old := nullif(btrim(coalesce(v_current ->> v_key, '')), '');
    -- A value without a recorded source was typed by a person: treat it as the admin's.
    v_source := coalesce(v_record.field_sources ->> v_key, case when v_old is null then null else 'admin' end);
    continue when v_old is not distinct from v_value;
    if v_old is null
       or (p_force and (v_key not in ('label', 'country') or v_source = 'ai')) then
      v_set := v_set || jsonb_build_object(v_key, v_value);
      v_notes := v_notes || jsonb_build_object(v_key, 'Заполнено ИИ — проверьте');
    end if;
  end loop;

  if v_set = '{}'::jsonb then
    return jsonb_build_object('found', true, 'applied', '[]'::jsonb);
  end if;

  perform set_config('app.ai_store', 'on', true);
  execute format($q$update records r set (%1$s) = (select %1$s from jsonb_populate_record(r, $2)),
                                         field_sources = r.field_sources || $3
                     where r.id = $1$q$,
                 (select string_agg(quote_ident(k), ', ') from jsonb_object_keys(v_set) k))
    using p_record_id, v_set, (select jsonb_object_agg(k, 'ai'::text) from jsonb_object_keys(v_set) k);
  perform set_config('app.ai_store', 'off', true);
  -- The sheet gets what was stored (records_check normalised it).
  select jsonb_object_agg(k, to_jsonb(r) -> k) into v_set
    from records r, jsonb_object_keys(v_set) k where r.id = p_record_id;

  perform sheet_outbox_push('set_fields', 'Справочник', p_record_id,
    jsonb_build_object('fields', v_set, 'notes', v_notes));
  return jsonb_build_object('found', true,
    'applied', (select jsonb_agg(k order by k) from jsonb_object_keys(v_set) k));
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261201002000') on conflict do nothing;
