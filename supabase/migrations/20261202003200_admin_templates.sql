-- ⚙️ Settings in the admin bot (issue 9): the notification templates of Настройки_уведомлений.
-- The bot lists them, and an edit (text, on/off) is stored here and sent to the worksheet's row
-- through the outbox (append_row keyed by the template's type: the add-on updates the row of that
-- type). The sheet's own edits keep arriving through templates_upsert.

create or replace function templates_list() returns jsonb
language sql stable set search_path = public, extensions as $$
  select coalesce(jsonb_agg(jsonb_build_object('type', t.type, 'title', t.title, 'body', t.body, 'active', t.active, 'updated_at', t.updated_at)
                            order by t.type), '[]'::jsonb)
    from notification_templates t
$$;

-- Null when there is no template of that type (the sheet removed it meanwhile).
create or replace function template_save(p_type text, p_body text, p_active boolean) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_row notification_templates;
begin
  update notification_templates
     set body = coalesce(p_body, body), active = coalesce(p_active, active), updated_at = now()
   where type = p_type
  returning * into v_row;
  if not found then return null; end if;
  perform sheet_outbox_push('append_row', 'Настройки_уведомлений', null,
    jsonb_build_object('values', jsonb_build_object('type', v_row.type, 'title', v_row.title, 'body', v_row.body, 'active', v_row.active)));
  return jsonb_build_object('type', v_row.type, 'title', v_row.title, 'body', v_row.body, 'active', v_row.active, 'updated_at', v_row.updated_at);
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202003200') on conflict do nothing;
