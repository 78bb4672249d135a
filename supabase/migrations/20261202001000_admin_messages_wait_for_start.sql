-- An admin's message that Telegram refuses with 403 (the admin has not pressed Start yet: "bot
-- can't initiate conversation with a user", or blocked the bot) is held, not dropped, and sent
-- at the admin's next /start. Customers' messages keep their rule (the person is unreachable).

alter table telegram_deliveries drop constraint telegram_deliveries_status_check;
alter table telegram_deliveries add constraint telegram_deliveries_status_check
  check (status in ('pending', 'sent', 'failed', 'cancelled', 'held'));
create index telegram_deliveries_held_idx on telegram_deliveries (chat_id, id) where status = 'held';

-- The worker's answer to a 403 on an admin message: keep it until the admin writes to the bot.
create or replace function delivery_hold(p_id bigint, p_worker text, p_error text) returns boolean
language plpgsql set search_path = public, extensions as $$
begin
  update telegram_deliveries set status = 'held', lease_until = null, last_error = left(p_error, 500)
   where id = p_id and status = 'pending' and kind in ('admin_event', 'admin_digest');
  return found;
end
$$;

-- The admin pressed Start: their held messages are due again, oldest first. Only the newest
-- p_keep go out, so an admin who starts the bot after weeks reads the latest news, not a flood;
-- the older ones stay visible in the sheet's Оповещения_админу and the admin API.
create or replace function delivery_resume_held(p_chat_id bigint, p_keep integer default 20) returns integer
language plpgsql set search_path = public, extensions as $$
declare
  v integer;
begin
  perform 1 from telegram_deliveries where chat_id = p_chat_id and status = 'held' order by id for update;
  update telegram_deliveries
     set status = 'cancelled', last_error = 'held while the admin had not started the bot; newer messages were sent instead'
   where chat_id = p_chat_id and status = 'held'
     and id not in (select id from telegram_deliveries where chat_id = p_chat_id and status = 'held'
                     order by id desc limit greatest(p_keep, 0));
  update telegram_deliveries
     set status = 'pending', attempts = 0, next_attempt_at = now(), lease_until = null
   where chat_id = p_chat_id and status = 'held';
  get diagnostics v = row_count;
  return v;
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261202001000') on conflict do nothing;
