-- The audit trail tells the bot from the admin API (issue 11: "by whom: the sheet, the bot, the
-- admin API, the AI, a customer's action, the system"). Both called the same admin_* functions,
-- so both were 'admin'. The bot now calls bot_* functions that do the same through admin_*; the
-- trigger names the actor from the outermost function, so bot_* is 'bot' and admin_* stays
-- 'admin' (the admin API). Rows from before keep 'admin'.
alter table record_changes drop constraint if exists record_changes_actor_check;
alter table record_changes add constraint record_changes_actor_check
  check (actor in ('sheet', 'bot', 'admin', 'ai', 'customer', 'system'));

create or replace function record_audit_actor(p_function text) returns text
language sql immutable as $$
  select case
    when p_function like 'sheet\_%' then 'sheet'
    when p_function like 'bot\_%' then 'bot'
    when p_function like 'admin\_%' or p_function = 'records_soft_delete' then 'admin'
    when p_function like 'ai\_%' then 'ai'
    when p_function in ('demand_search_request', 'demand_register', 'record_register_interest', 'offers_reserve', 'demand_stop') then 'customer'
    else 'system'
  end
$$;

-- The bot's writes of records. PL/pgSQL, never inlined, so each stays on the call stack the
-- audit trigger reads.
create or replace function bot_create_record(p_record jsonb) returns jsonb
language plpgsql set search_path = public, extensions as $$
begin
  return admin_create_record(p_record);
end
$$;

create or replace function bot_set_status(p_id uuid, p_status text, p_trigger_notifications boolean, p_price_paid numeric) returns jsonb
language plpgsql set search_path = public, extensions as $$
begin
  return admin_set_status(p_id, p_status, p_trigger_notifications, p_price_paid);
end
$$;

create or replace function bot_update_fields(p_id uuid, p_fields jsonb) returns jsonb
language plpgsql set search_path = public, extensions as $$
begin
  return admin_update_fields(p_id, p_fields);
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261203001100') on conflict do nothing;
