-- The admin's digest lists unverified interest in titles the catalog does not have (demand_pending,
-- docs/demand-and-offers.md): a website visitor without a Telegram login creates no record, so
-- without this the admin would learn of such a request only from GET /api/admin/notifications.
-- Each pending row is reported once, in the first digest after it arrived (digested_at), grouped
-- by title, most asked first; a title that already became a record is reported with that record.

alter table demand_pending add column if not exists digested_at timestamptz;
create index if not exists demand_pending_undigested_idx on demand_pending (created_at)
  where digested_at is null and record_id is null;

create or replace function admin_digest_enqueue(p_min_interval_seconds integer default 60) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_last timestamptz;
  v_requests jsonb;
  v_events jsonb;
  v_pending jsonb;
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
  with taken as (
    update demand_pending d set digested_at = now()
     where d.digested_at is null and d.record_id is null
    returning d.title_key, d.title, d.artist, d.created_at)
  select coalesce(jsonb_agg(jsonb_build_object('title', t.title, 'artist', t.artist, 'count', t.n)
           order by t.n desc, t.title_key), '[]')
    into v_pending
    from (select title_key, min(title) as title, min(artist) as artist, count(*) as n
            from taken group by title_key) t;
  if jsonb_array_length(v_requests) = 0 and jsonb_array_length(v_events) = 0 and jsonb_array_length(v_pending) = 0 then
    return jsonb_build_object('sent', false, 'reason', 'nothing_new');
  end if;
  update app_settings set value = to_jsonb(now()), updated_at = now() where key = 'admin_digest_at';
  foreach v_admin in array v_admins loop
    perform delivery_enqueue('admin_digest', v_admin, jsonb_build_object('requests', v_requests, 'events', v_events, 'pending', v_pending));
  end loop;
  return jsonb_build_object('sent', cardinality(v_admins) > 0, 'requests', jsonb_array_length(v_requests),
                            'events', jsonb_array_length(v_events), 'pending', jsonb_array_length(v_pending));
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202004100') on conflict do nothing;
