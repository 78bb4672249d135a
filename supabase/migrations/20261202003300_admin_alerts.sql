-- Admin alerts (issue 9) beside the ones the database already queues (new search requests'
-- digest, procurement tasks): a delivery that failed after all its retries, an AI enrichment
-- that fell back to the built-in template although a model is configured, a sheet push with
-- rejected rows, and a sheet not heard from for longer than its schedule allows. Each alert is
-- handed out once: a mark per kind remembers how far they were read.
create table if not exists admin_alert_marks (
  kind text primary key,
  mark bigint not null
);

create or replace function admin_alerts_collect(p_sheet_silence_minutes integer) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_alerts jsonb := '[]'::jsonb;
  v_delivery bigint;
  v_ai bigint;
  v_log bigint;
  v_silent bigint;
  v_last sheet_sync_log;
begin
  -- The first call starts from now: history is not news.
  insert into admin_alert_marks (kind, mark)
  values ('delivery', (select coalesce(max(id), 0) from telegram_deliveries)),
         ('ai', (select coalesce(max(id), 0) from ai_jobs)),
         ('sheet_log', (select coalesce(max(id), 0) from sheet_sync_log)),
         ('sheet_silent', 0)
  on conflict (kind) do nothing;
  select mark into v_delivery from admin_alert_marks where kind = 'delivery' for update;
  select mark into v_ai from admin_alert_marks where kind = 'ai' for update;
  select mark into v_log from admin_alert_marks where kind = 'sheet_log' for update;
  select mark into v_silent from admin_alert_marks where kind = 'sheet_silent' for update;

  -- Failed deliveries are final (status 'failed' after the last attempt); ids only grow, but a
  -- delivery fails after younger ones were sent: read every failure above the oldest pending one.
  v_alerts := v_alerts || coalesce((select jsonb_agg(jsonb_build_object('kind', 'delivery_failed', 'id', d.id, 'delivery_kind', d.kind,
        'chat_id', d.chat_id, 'attempts', d.attempts, 'error', left(coalesce(d.last_error, ''), 200)) order by d.id)
      from telegram_deliveries d where d.id > v_delivery and d.status = 'failed'), '[]'::jsonb);
  update admin_alert_marks set mark = greatest(v_delivery, coalesce(
      (select min(id) - 1 from telegram_deliveries where id > v_delivery and status = 'pending'),
      (select max(id) from telegram_deliveries), v_delivery))
   where kind = 'delivery';

  v_alerts := v_alerts || coalesce((select jsonb_agg(jsonb_build_object('kind', 'ai_template', 'id', j.id, 'number', r.number,
        'title', r.title, 'artist', r.artist) order by j.id)
      from ai_jobs j join records r on r.id = j.record_id
     where j.id > v_ai and j.state = 'done' and (j.result ->> 'fallback_used') = 'true'
       and j.result -> 'stages' ->> 'description' = 'template'), '[]'::jsonb);
  update admin_alert_marks set mark = greatest(v_ai, coalesce(
      (select min(id) - 1 from ai_jobs where id > v_ai and state in ('queued', 'running')),
      (select max(id) from ai_jobs), v_ai))
   where kind = 'ai';

  v_alerts := v_alerts || coalesce((select jsonb_agg(jsonb_build_object('kind', 'sheet_rejected', 'id', l.id, 'sync_kind', l.kind,
        'errors', l.errors, 'at', l.at) order by l.id)
      from sheet_sync_log l where l.id > v_log and l.errors > 0), '[]'::jsonb);
  update admin_alert_marks set mark = (select coalesce(max(id), v_log) from sheet_sync_log) where kind = 'sheet_log';

  -- Silence: once per silence (the mark is the last entry it was reported for).
  select * into v_last from sheet_sync_log order by id desc limit 1;
  if found and v_last.at < now() - make_interval(mins => p_sheet_silence_minutes) and v_last.id <> v_silent then
    v_alerts := v_alerts || jsonb_build_array(jsonb_build_object('kind', 'sheet_silent', 'last_at', v_last.at, 'minutes', p_sheet_silence_minutes));
    update admin_alert_marks set mark = v_last.id where kind = 'sheet_silent';
  end if;
  return v_alerts;
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202003300') on conflict do nothing;
