-- Procurement task states (issue 9, 📬): new, in_work, done, dismissed. One value, kept on the
-- task's admin_events row (its ID is the row's ID in Оповещения_админу), shared by the bot, the
-- admin API (GET/PATCH /api/admin/procurement-tasks) and the sheet's Статус_задачи column. The
-- server writes the column through the outbox; the add-on sends the admin's edits back
-- (sheet_tasks_push). A record in 🟡 Procurement Task without a task row (set by hand) counts
-- as a new task; its row is made the first time its state changes.

update admin_events set task_status = 'new' where task_status = 'open';
alter table admin_events
  alter column task_status set default 'new',
  add column task_changed_at timestamptz,
  add constraint admin_events_task_status_check check (task_status in ('new', 'in_work', 'done', 'dismissed'));
create index admin_events_procurement_idx on admin_events (record_id, created_at desc) where type = 'procurement';

-- admin_event_add wrote 'open' into the sheet's row; a new row says 'new' (the add-on shows the label).
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
    'action', coalesce(p_action, ''), 'task_status', 'new')));
  if p_notify = 'now' then
    foreach v_admin in array app_admin_chat_ids() loop
      perform delivery_enqueue('admin_event', v_admin,
        coalesce(p_payload, '{}') || jsonb_build_object('event_id', v_id, 'type', p_type, 'details', p_details));
    end loop;
  end if;
  return v_id;
end
$$;

-- The task's row to the sheet again (append_row with the row's ID updates it in place, or puts
-- it back if the admin deleted it).
create or replace function procurement_task_sheet_push(e admin_events) returns void
language sql set search_path = public, extensions as $$
  select sheet_outbox_push('append_row', 'Оповещения_админу', e.record_id, jsonb_build_object('values', jsonb_build_object(
    'id', e.id, 'at', e.created_at, 'type', e.type,
    'record', coalesce((select r.artist || ' — ' || r.title || ' (#' || r.number || ')' from records r where r.id = e.record_id), ''),
    'details', e.details, 'action', e.action, 'task_status', e.task_status)))
$$;

-- The record's latest task row, if any.
create or replace function procurement_task_row(p_record_id uuid) returns admin_events
language sql stable set search_path = public, extensions as $$
  select * from admin_events where type = 'procurement' and record_id = p_record_id order by created_at desc, id desc limit 1
$$;

create or replace function procurement_task_json(r records, e admin_events) returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object('task_id', e.id, 'record_id', r.id, 'number', r.number, 'title', r.title, 'artist', r.artist,
    'record_status', r.status, 'state', coalesce(e.task_status, 'new'), 'demand_count', r.verified_count,
    'total_demand', r.preorder_count, 'created_at', coalesce(e.created_at, r.created_at), 'state_changed_at', e.task_changed_at)
$$;

-- Tasks in the given states: every record in 🟡 Procurement Task, and the records that were one
-- (their task done or dismissed). Most waiting first.
create or replace function procurement_tasks_list(p_states text[]) returns jsonb
language sql stable set search_path = public, extensions as $$
  select coalesce(jsonb_agg(procurement_task_json(r, l.e) order by r.verified_count desc, r.preorder_count desc, r.number), '[]')
    from records r
    left join lateral (select a as e from admin_events a where a.type = 'procurement' and a.record_id = r.id
                        order by a.created_at desc, a.id desc limit 1) l on true
   where r.deleted_at is null
     and (r.status = 'procurement' or r.id in (select record_id from admin_events where type = 'procurement'))
     and coalesce((l.e).task_status, 'new') = any(p_states)
$$;

-- The task of one record; null when the record is not and never was a procurement task.
create or replace function procurement_task_get(p_record_id uuid) returns jsonb
language plpgsql stable set search_path = public, extensions as $$
declare
  r records;
  e admin_events;
begin
  select * into r from records where id = p_record_id and deleted_at is null;
  if not found then return null; end if;
  e := procurement_task_row(p_record_id);
  if e.id is null and r.status <> 'procurement' then return null; end if;
  return procurement_task_json(r, e);
end
$$;

-- Changes a task's state (the bot's buttons, the admin API); the sheet's row follows.
create or replace function procurement_task_set(p_record_id uuid, p_state text) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  r records;
  e admin_events;
  v_id uuid;
begin
  if p_state not in ('new', 'in_work', 'done', 'dismissed') then
    raise exception 'unknown task state %', p_state using errcode = '22023';
  end if;
  select * into r from records where id = p_record_id and deleted_at is null for update;
  if not found then return null; end if;
  e := procurement_task_row(p_record_id);
  if e.id is null then
    if r.status <> 'procurement' then return null; end if;
    -- A task made by hand (status set in the sheet or the API): its row starts now, without a message.
    v_id := admin_event_add('procurement', r.id, format('Спрос: %s подтверждённых, всего %s', r.verified_count, r.preorder_count),
      'Найти пластинку и добавить в каталог', jsonb_build_object('record_id', r.id, 'number', r.number), 'none');
    select * into e from admin_events where id = v_id;
  end if;
  if e.task_status is distinct from p_state then
    update admin_events set task_status = p_state, task_changed_at = now() where id = e.id returning * into e;
    perform procurement_task_sheet_push(e);
  end if;
  return procurement_task_json(r, e);
end
$$;

-- Статус_задачи edited in the sheet: the states of those rows. Rows whose state is already that
-- are left alone, so a full read-back of the sheet changes only what the admin changed.
create or replace function sheet_tasks_push(p_tasks jsonb) returns integer
language sql set search_path = public, extensions as $$
  with given as (
    select distinct on (t.id) t.id, t.state from jsonb_to_recordset(coalesce(p_tasks, '[]')) as t(id uuid, state text)
     where t.state in ('new', 'in_work', 'done', 'dismissed') order by t.id),
  changed as (
    update admin_events a set task_status = g.state, task_changed_at = now()
      from given g where a.id = g.id and a.task_status <> g.state
    returning a.id)
  select count(*)::int from changed
$$;

-- A record found and put on sale (by the bot, the API or the sheet): its open task is done.
create or replace function procurement_task_done_on_sale() returns trigger
language plpgsql set search_path = public, extensions as $$
declare
  e admin_events;
begin
  for e in
    update admin_events set task_status = 'done', task_changed_at = now()
     where type = 'procurement' and record_id = new.id and task_status in ('new', 'in_work')
    returning *
  loop
    perform procurement_task_sheet_push(e);
  end loop;
  return null;
end
$$;
drop trigger if exists records_procurement_task_done on records;
create trigger records_procurement_task_done after update of status on records
  for each row when (old.status = 'procurement' and new.status in ('available', 'reserved', 'sold'))
  execute function procurement_task_done_on_sale();

-- Tasks of records already past procurement are done.
update admin_events a set task_status = 'done', task_changed_at = now()
  from records r where a.type = 'procurement' and r.id = a.record_id and a.task_status = 'new'
   and r.status in ('available', 'reserved', 'sold');

-- GET /api/admin/notifications and the bot's 📬: pending tasks only (new or in work), with their state.
create or replace function admin_notifications() returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    'procurement_tasks', (select coalesce(jsonb_agg(jsonb_build_object('record_id', t ->> 'record_id', 'number', (t ->> 'number')::int,
        'title', t ->> 'title', 'artist', t ->> 'artist', 'demand_count', (t ->> 'demand_count')::int,
        'total_demand', (t ->> 'total_demand')::int, 'created_at', t -> 'created_at', 'task_id', t -> 'task_id', 'state', t ->> 'state')
        order by n), '[]')
        from jsonb_array_elements(procurement_tasks_list(array['new', 'in_work'])) with ordinality as l(t, n)
       where t ->> 'record_status' = 'procurement'),
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

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261203001000') on conflict do nothing;
