-- What /metrics and the deep health check read from the database in one call (issue 11): queue
-- depths and ages, how long since the sheet was heard from, deliveries and AI jobs by outcome,
-- records by status. Every query here uses an index or a small table, except the records count
-- by status (one scan; /metrics caches the answer for a few seconds).
create or replace function ops_figures() returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    'queues', jsonb_build_object(
      'ai_jobs', (select jsonb_build_object('depth', count(*), 'oldest_s', coalesce(extract(epoch from now() - min(created_at)), 0))
                    from ai_jobs where state in ('queued', 'running')),
      'telegram_deliveries', (select jsonb_build_object('depth', count(*), 'oldest_s', coalesce(extract(epoch from now() - min(created_at)), 0))
                                from telegram_deliveries where status = 'pending'),
      'sheet_outbox', (select jsonb_build_object('depth', count(*), 'oldest_s', coalesce(extract(epoch from now() - min(created_at)), 0))
                         from sheet_outbox where acked_at is null and cancelled_at is null)),
    'sheet', jsonb_build_object(
      'since_push_s', (select extract(epoch from now() - max(at)) from sheet_sync_log where kind like 'push%'),
      'since_reconcile_s', (select extract(epoch from now() - max(at)) from sheet_sync_log where kind = 'reconcile'),
      -- Any signed request counts: the add-on's pull runs on a timer even when nobody edits.
      'since_heard_s', (select extract(epoch from now() - greatest(
                          (select max(seen_at) from sheet_request_nonces),
                          (select max(at) from sheet_sync_log))))),
    'deliveries', (select coalesce(jsonb_object_agg(status, n), '{}'::jsonb)
                     from (select status, count(*) as n from telegram_deliveries group by status) s),
    'ai_jobs', (select coalesce(jsonb_object_agg(state, n), '{}'::jsonb)
                  from (select state, count(*) as n from ai_jobs group by state) s),
    'offers', (select coalesce(jsonb_object_agg(status, n), '{}'::jsonb)
                 from (select status, count(*) as n from offers group by status) s),
    'records', (select coalesce(jsonb_object_agg(status, n), '{}'::jsonb)
                  from (select status, count(*) as n from records group by status) s))
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202005100') on conflict do nothing;
