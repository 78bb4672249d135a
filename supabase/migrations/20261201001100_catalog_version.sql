-- What the public catalog looks like changes only when records change. A counter bumped by the
-- records' statement triggers lets every server instance keep its response cache until the
-- catalog really changed (server/catalog/catalog-freshness.ts), instead of emptying it on every
-- write (queue claims, delivery marks). A row rather than a sequence: its new value is visible
-- only when the change commits, so nobody refills a cache from data that is not there yet.
create table catalog_version (
  id boolean primary key default true check (id),
  version bigint not null default 0
);
insert into catalog_version (id, version) values (true, 0);
alter table catalog_version enable row level security;

create or replace function catalog_version_bump() returns trigger
language plpgsql set search_path = public, extensions as $$
begin
  -- Statement triggers fire for statements that touched no row too: only count real changes.
  if exists (select 1 from changed) then
    update catalog_version set version = version + 1 where id;
  end if;
  return null;
end
$$;

-- Transition tables allow one event per trigger.
create trigger records_version_insert_trg after insert on records
  referencing new table as changed for each statement execute function catalog_version_bump();
create trigger records_version_update_trg after update on records
  referencing new table as changed for each statement execute function catalog_version_bump();
create trigger records_version_delete_trg after delete on records
  referencing old table as changed for each statement execute function catalog_version_bump();

create or replace function catalog_version_get() returns bigint
language sql stable set search_path = public, extensions as $$
  select version from catalog_version where id
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261201001100') on conflict do nothing;
