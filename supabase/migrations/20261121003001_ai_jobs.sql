-- The AI musicologist's durable job queue (docs/ai-musicologist.md).
-- A job is claimed with a lease: a worker that dies leaves its job to be claimed again once the
-- lease runs out, so jobs survive restarts and several server instances can share one database.

-- A batch started from the sheet («Enrich selected rows» / «all rows without a description»).
create table ai_batches (
  id uuid primary key default gen_random_uuid(),
  force boolean not null default false,
  total integer not null default 0,
  created_at timestamptz not null default now()
);
alter table ai_batches enable row level security;

create table ai_jobs (
  id bigint generated always as identity primary key,
  record_id uuid not null references records (id) on delete cascade,
  batch_id uuid references ai_batches (id) on delete cascade,
  -- force: regenerate texts even where they exist (the admin's included).
  force boolean not null default false,
  state text not null default 'queued' check (state in ('queued', 'running', 'done', 'failed')),
  attempts integer not null default 0,
  run_after timestamptz not null default now(),
  lease_until timestamptz,
  claimed_by text,
  last_error text,
  result jsonb,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
-- One waiting automatic job per record: ten edits of a row before the worker gets to it queue one job.
create unique index ai_jobs_one_waiting_idx on ai_jobs (record_id) where state = 'queued' and batch_id is null;
create index ai_jobs_ready_idx on ai_jobs (run_after, id) where state = 'queued';
create index ai_jobs_lease_idx on ai_jobs (lease_until) where state = 'running';
create index ai_jobs_batch_idx on ai_jobs (batch_id) where batch_id is not null;
create index ai_jobs_finished_idx on ai_jobs (finished_at) where finished_at is not null;
alter table ai_jobs enable row level security;

-- What the enrichment needs to know about a record; null when there is none or it is deleted.
create or replace function ai_record_snapshot(p_record_id uuid) returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    'id', r.id, 'title', r.title, 'artist', r.artist, 'genre', r.genre, 'year', r.year,
    'label', r.label, 'country', r.country, 'condition', r.condition, 'price', r.price,
    'status', r.status, 'description', r.description, 'seo_title', r.seo_title,
    'seo_description', r.seo_description, 'seo_keywords', r.seo_keywords,
    'field_sources', r.field_sources)
    from records r where r.id = p_record_id and r.deleted_at is null
$$;

-- A new or changed record without a description queues a job, whatever wrote it (sheet sync,
-- admin API, bot, import). The AI's own writes set app.ai_store and are ignored.
create or replace function records_queue_ai() returns trigger
language plpgsql set search_path = public, extensions as $$
begin
  if coalesce(current_setting('app.ai_store', true), '') = 'on' then
    return null;
  end if;
  if new.deleted_at is not null or new.status = 'deleted' or nullif(btrim(coalesce(new.description, '')), '') is not null then
    return null;
  end if;
  if tg_op = 'UPDATE'
     and (new.title, new.artist, new.genre, new.year, new.label, new.country, new.condition, new.price, new.status, new.description)
         is not distinct from
         (old.title, old.artist, old.genre, old.year, old.label, old.country, old.condition, old.price, old.status, old.description) then
    return null;
  end if;
  insert into ai_jobs (record_id) values (new.id)
  on conflict (record_id) where state = 'queued' and batch_id is null do nothing;
  return null;
end
$$;

create trigger records_queue_ai_trg
  after insert or update on records
  for each row execute function records_queue_ai();

-- Writes the enrichment's results, field by field, respecting who wrote what:
--   * an empty field is filled;
--   * with p_force, description and SEO texts are replaced even when the admin wrote them;
--   * label and country are never taken from the admin, force or not (facts are not regenerated
--     over a person's knowledge), but an AI-filled one may be refreshed with p_force.
-- Filled fields are marked 'ai' in field_sources, and the same change goes to the sheet through
-- the outbox in this transaction, with a note on each cell so the admin can tell.
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
  update records set
    label = case when v_set ? 'label' then v_set ->> 'label' else label end,
    country = case when v_set ? 'country' then v_set ->> 'country' else country end,
    description = case when v_set ? 'description' then v_set ->> 'description' else description end,
    seo_title = case when v_set ? 'seo_title' then v_set ->> 'seo_title' else seo_title end,
    seo_description = case when v_set ? 'seo_description' then v_set ->> 'seo_description' else seo_description end,
    seo_keywords = case when v_set ? 'seo_keywords' then v_set ->> 'seo_keywords' else seo_keywords end,
    field_sources = field_sources || (select jsonb_object_agg(k, 'ai'::text) from jsonb_object_keys(v_set) k)
   where id = p_record_id;
  perform set_config('app.ai_store', 'off', true);

  perform sheet_outbox_push('set_fields', 'Справочник', p_record_id,
    jsonb_build_object('fields', v_set, 'notes', v_notes));
  return jsonb_build_object('found', true,
    'applied', (select jsonb_agg(k order by k) from jsonb_object_keys(v_set) k));
end
$$;

-- Claims up to p_limit ready jobs (waiting, or running with an expired lease) for one worker,
-- each with a snapshot of its record. SKIP LOCKED: concurrent workers never get the same job.
create or replace function ai_jobs_claim(p_worker text, p_limit integer, p_lease_seconds integer, p_max_attempts integer default 5)
returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_claimed jsonb;
begin
  -- A job whose worker vanished again and again is given up rather than crashing every worker.
  update ai_jobs set state = 'failed', finished_at = now(), lease_until = null,
         last_error = coalesce(last_error, 'lease expired') || ' (gave up after ' || attempts || ' attempts)'
   where state = 'running' and lease_until < now() and attempts >= p_max_attempts;
  delete from ai_jobs where finished_at < now() - interval '30 days';

  with picked as (
    select j.id from ai_jobs j
     where (j.state = 'queued' and j.run_after <= now()) or (j.state = 'running' and j.lease_until < now())
     order by j.run_after, j.id
     limit greatest(p_limit, 0)
     for update skip locked),
  claimed as (
    update ai_jobs j
       set state = 'running', attempts = j.attempts + 1, claimed_by = p_worker,
           lease_until = now() + make_interval(secs => p_lease_seconds)
      from picked where j.id = picked.id
    returning j.id, j.record_id, j.force, j.attempts)
  select coalesce(jsonb_agg(jsonb_build_object(
           'job_id', c.id, 'record_id', c.record_id, 'force', c.force, 'attempts', c.attempts,
           'record', ai_record_snapshot(c.record_id)) order by c.id), '[]'::jsonb)
    into v_claimed from claimed c;
  return v_claimed;
end
$$;

-- Stores a claimed job's results and closes it. A worker that lost its lease to another one
-- stores nothing (lost: true): the new holder does the work.
create or replace function ai_job_finish(p_job_id bigint, p_worker text, p_fields jsonb, p_result jsonb) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_job ai_jobs;
  v_store jsonb;
begin
  select * into v_job from ai_jobs where id = p_job_id for update;
  if not found or v_job.state <> 'running' or v_job.claimed_by is distinct from p_worker then
    return jsonb_build_object('lost', true, 'applied', '[]'::jsonb);
  end if;
  v_store := ai_store_result(v_job.record_id, p_fields, v_job.force);
  update ai_jobs set state = 'done', finished_at = now(), lease_until = null, last_error = null,
         result = coalesce(p_result, '{}'::jsonb) || jsonb_build_object('enriched_fields', v_store -> 'applied')
   where id = p_job_id;
  return v_store || jsonb_build_object('lost', false);
end
$$;

-- Puts a claimed job back: later (backoff after 429/5xx, p_delay_ms) or at once (shutdown,
-- p_count_attempt false), or gives it up (p_give_up).
create or replace function ai_job_release(
  p_job_id bigint, p_worker text, p_delay_ms integer, p_error text,
  p_give_up boolean default false, p_count_attempt boolean default true
) returns boolean
language sql set search_path = public, extensions as $$
  with released as (
    update ai_jobs
       set state = case when p_give_up then 'failed' else 'queued' end,
           run_after = now() + make_interval(secs => greatest(p_delay_ms, 0) / 1000.0),
           lease_until = null, claimed_by = null, last_error = left(p_error, 500),
           attempts = case when p_count_attempt then attempts else greatest(attempts - 1, 0) end,
           finished_at = case when p_give_up then now() end
     where id = p_job_id and state = 'running' and claimed_by = p_worker
    returning 1)
  select exists (select 1 from released)
$$;

-- Queues a batch from the sheet; a record's waiting automatic job joins the batch instead of
-- being done twice. Unknown or deleted ids are left out of the total.
create or replace function ai_batch_create(p_record_ids uuid[], p_all_without_description boolean, p_force boolean) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_batch uuid := gen_random_uuid();
  v_total integer;
begin
  insert into ai_batches (id, force) values (v_batch, coalesce(p_force, false));
  with targets as (
    select r.id from records r
     where r.deleted_at is null
       and ((p_record_ids is not null and r.id = any (p_record_ids))
            or (coalesce(p_all_without_description, false) and nullif(btrim(coalesce(r.description, '')), '') is null))),
  adopted as (
    update ai_jobs j set batch_id = v_batch, force = coalesce(p_force, false)
      from targets t
     where j.record_id = t.id and j.state = 'queued' and j.batch_id is null
    returning j.record_id),
  inserted as (
    insert into ai_jobs (record_id, batch_id, force)
    select t.id, v_batch, coalesce(p_force, false) from targets t
     where not exists (select 1 from adopted a where a.record_id = t.id)
    returning record_id)
  select (select count(*) from adopted) + (select count(*) from inserted) into v_total;
  update ai_batches set total = v_total where id = v_batch;
  return jsonb_build_object('job_id', v_batch, 'total', v_total);
end
$$;

-- Progress of a batch for the sheet's sidebar; null when there is no such batch.
create or replace function ai_batch_progress(p_batch_id uuid) returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    'job_id', b.id,
    'total', b.total,
    'done', coalesce(s.done, 0),
    'failed', coalesce(s.failed, 0),
    'status', case
      when coalesce(s.done, 0) + coalesce(s.failed, 0) >= b.total then 'done'
      when coalesce(s.started, 0) > 0 then 'running'
      else 'queued' end)
    from ai_batches b
    left join lateral (
      select count(*) filter (where j.state = 'done') as done,
             count(*) filter (where j.state = 'failed') as failed,
             count(*) filter (where j.state <> 'queued' or j.attempts > 0) as started
        from ai_jobs j where j.batch_id = b.id) s on true
   where b.id = p_batch_id
$$;

-- Queue counts by state, for /health-style checks, tests and the benchmark.
create or replace function ai_queue_counts() returns jsonb
language sql stable set search_path = public, extensions as $$
  select jsonb_build_object(
    'queued', count(*) filter (where state = 'queued'),
    'running', count(*) filter (where state = 'running'),
    'done', count(*) filter (where state = 'done'),
    'failed', count(*) filter (where state = 'failed'))
    from ai_jobs
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261121003001') on conflict do nothing;
