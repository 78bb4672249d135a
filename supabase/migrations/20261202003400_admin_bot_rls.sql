-- Row level security on the admin bot's tables, like every other table: only the server (the
-- service role, which bypasses RLS) reads and writes them; a grant given by mistake shows no row.
alter table admin_conversations enable row level security;
alter table record_photos enable row level security;
alter table admin_enrichment_watches enable row level security;
alter table admin_alert_marks enable row level security;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202003400') on conflict do nothing;
