-- Nonces of signed sheet requests seen in the last minutes: a replayed request is refused
-- even when several server instances share one database.
create table sheet_request_nonces (
  nonce text primary key,
  seen_at timestamptz not null default now()
);
alter table sheet_request_nonces enable row level security;

-- True the first time a nonce is claimed, false for a replay. Old nonces (past the
-- timestamp window, so already refused on time) are swept as a side effect.
create or replace function sheet_nonce_claim(p_nonce text) returns boolean
language plpgsql set search_path = public, extensions as $$
begin
  delete from sheet_request_nonces where seen_at < now() - interval '15 minutes';
  insert into sheet_request_nonces (nonce) values (p_nonce) on conflict do nothing;
  return found;
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261121000500') on conflict do nothing;
