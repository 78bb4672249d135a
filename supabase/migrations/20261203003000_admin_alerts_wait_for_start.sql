-- Admin alerts the server sends straight through the Bot API (a background task down or back,
-- the admin panel's alerts and notices) are not in the delivery queue. When Telegram refuses one
-- because the admin has not pressed Start yet (403 "bot can't initiate conversation with a user",
-- or 400 "chat not found" for an id that never wrote to the bot), it is kept here as a held
-- admin message with its rendered text, and the admin's /start sends it like the queue's own
-- (delivery_resume_held, 20261202001000_admin_messages_wait_for_start.sql).
create or replace function delivery_hold_admin_message(p_chat_id bigint, p_payload jsonb, p_error text) returns bigint
language sql set search_path = public, extensions as $$
  insert into telegram_deliveries (kind, chat_id, payload, status, attempts, last_error)
  values ('admin_event', p_chat_id, p_payload, 'held', 1, left(p_error, 500))
  returning id
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261203003000') on conflict do nothing;
