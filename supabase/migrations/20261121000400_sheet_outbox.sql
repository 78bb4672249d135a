-- The durable outbox of operations the server wants applied to the admin's spreadsheet.
-- Any SQL function may push an operation in the same transaction as the change it reports,
-- so a committed change and its sheet update are never separated. The add-on pulls waiting
-- operations, applies them idempotently and acknowledges them by id (sheet-sync protocol:
-- docs/sheet-sync.md).
create table sheet_outbox (
  id bigint generated always as identity primary key,
  -- append_row: add a row to a worksheet; payload {"values": {<column key>: value}}.
  --   When values.id is given, applying twice leaves one row (the add-on upserts by ID).
  -- set_fields: set cells of the row whose ID is record_id; payload
  --   {"fields": {<column key>: value}, "notes": {<column key>: note or null}}.
  op text not null check (op in ('append_row', 'set_fields')),
  sheet text not null,
  record_id uuid,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  acked_at timestamptz,
  cancelled_at timestamptz,
  check (op <> 'set_fields' or record_id is not null)
);
create index sheet_outbox_waiting_idx on sheet_outbox (id) where acked_at is null and cancelled_at is null;
create index sheet_outbox_record_idx on sheet_outbox (record_id) where acked_at is null and cancelled_at is null;
alter table sheet_outbox enable row level security;

create or replace function sheet_outbox_push(p_op text, p_sheet text, p_record_id uuid, p_payload jsonb) returns bigint
language sql set search_path = public, extensions as $$
  insert into sheet_outbox (op, sheet, record_id, payload) values (p_op, p_sheet, p_record_id, p_payload)
  returning id
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261121000400') on conflict do nothing;
