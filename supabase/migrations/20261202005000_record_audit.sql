-- The audit trail of records (issue 11): every change of a field, old -> new, and who made it.
-- A trigger writes it, so every writer is covered (the sheet's sync, the admin API and bot, the
-- AI, customers' actions, the scheduler) without each function remembering to. Rows keep the
-- record's id without a foreign key: the history outlives the record.
create table if not exists record_changes (
  id bigint generated always as identity primary key,
  record_id uuid not null,
  field text not null,
  old_value jsonb,
  new_value jsonb,
  actor text not null check (actor in ('sheet', 'admin', 'ai', 'customer', 'system')),
  via text,
  changed_at timestamptz not null default now()
);
create index if not exists record_changes_by_record on record_changes (record_id, id desc);
alter table record_changes enable row level security;

-- Who acts is the API function the server called (every write is one function call, through
-- PGlite or PostgREST alike). A function may say it outright with set_config('app.actor', ...).
create or replace function record_audit_actor(p_function text) returns text
language sql immutable as $$
  select case
    when p_function like 'sheet\_%' then 'sheet'
    when p_function like 'admin\_%' or p_function = 'records_soft_delete' then 'admin'
    when p_function like 'ai\_%' then 'ai'
    when p_function in ('demand_search_request', 'demand_register', 'record_register_interest', 'offers_reserve', 'demand_stop') then 'customer'
    else 'system'
  end
$$;

-- Columns that are derived or bookkeeping: their changes follow from the fields that are kept.
create or replace function record_audit_values(p_record records) returns jsonb
language sql immutable as $$
  select to_jsonb(p_record) - array['id', 'search_words', 'description_excerpt', 'priority', 'updated_at', 'field_sources', 'status_before_delete', 'created_at']
$$;

-- Statement-level with transition tables: one insert per statement, so a sheet push or an
-- import of thousands of rows costs one set-based insert, not a trigger call per row.
create or replace function records_audit() returns trigger
language plpgsql as $$
declare
  v_context text;
  v_via text;
  v_actor text;
begin
  -- The outermost function of the call stack: the API function the server called.
  get diagnostics v_context = pg_context;
  select m[1] into v_via
    from regexp_matches(v_context, '(?:PL/pgSQL function |SQL function ")([a-z_0-9]+)', 'g') with ordinality as t(m, n)
    where m[1] <> 'records_audit'
    order by n desc limit 1;
  v_actor := coalesce(nullif(current_setting('app.actor', true), ''), record_audit_actor(coalesce(v_via, '')));

  if tg_op = 'INSERT' then
    insert into record_changes (record_id, field, old_value, new_value, actor, via)
      select n.id, '(created)', null, record_audit_values(n), v_actor, v_via from new_rows n order by n.id;
  elsif tg_op = 'DELETE' then
    insert into record_changes (record_id, field, old_value, new_value, actor, via)
      select o.id, '(deleted)', record_audit_values(o), null, v_actor, v_via from old_rows o order by o.id;
  else
    insert into record_changes (record_id, field, old_value, new_value, actor, via)
      select c.id, k.key, c.before -> k.key, k.value, v_actor, v_via
        from (select n.id, record_audit_values(o) as before, record_audit_values(n) as after
                from old_rows o join new_rows n on n.id = o.id) c,
             lateral jsonb_each(c.after) k
       where (c.before -> k.key) is distinct from k.value
       order by c.id, k.key;
  end if;
  return null;
end
$$;

drop trigger if exists records_audit_insert on records;
create trigger records_audit_insert after insert on records
  referencing new table as new_rows for each statement execute function records_audit();
drop trigger if exists records_audit_update on records;
create trigger records_audit_update after update on records
  referencing old table as old_rows new table as new_rows for each statement execute function records_audit();
drop trigger if exists records_audit_delete on records;
create trigger records_audit_delete after delete on records
  referencing old table as old_rows for each statement execute function records_audit();

-- A record's history, newest first (kept after the record is deleted).
create or replace function record_history(p_record_id uuid, p_limit int default 200) returns jsonb
language sql stable as $$
  select jsonb_build_object(
    'record_id', p_record_id,
    'changes', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', c.id, 'field', c.field, 'old_value', c.old_value, 'new_value', c.new_value,
               'actor', c.actor, 'via', c.via, 'changed_at', c.changed_at) order by c.id desc)
        from (select * from record_changes where record_id = p_record_id order by id desc
               limit least(greatest(coalesce(p_limit, 200), 1), 1000)) c), '[]'::jsonb))
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202005000') on conflict do nothing;
