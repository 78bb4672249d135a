-- A customer who presses buy (or an old confirm button) while their own offer is paused, because
-- another holder's reservation holds the copy, is told so (result offer_paused): the offer is kept
-- and they hear when the copy is free, instead of the plain "unavailable" of a copy that is gone.
-- As 20261202000100_fair_reservations.sql, plus that answer.
create or replace function reservation_verdict(r records, p_chat_id bigint) returns jsonb
language plpgsql stable set search_path = public, extensions as $$
declare
  o offers;
  v_res reservations;
  v_limit integer := app_setting_int('reservation_limit', 2);
  v_held integer;
  v_until timestamptz;
  v_base jsonb := jsonb_build_object('record_id', r.id, 'title', r.title, 'artist', r.artist, 'number', r.number,
                                     'status', r.status);
begin
  if r.status = 'reserved' then
    select * into v_res from reservations where record_id = r.id and status = 'active';
    if v_res.chat_id = p_chat_id then
      return v_base || jsonb_build_object('result', 'already_yours', 'reservation_id', v_res.id, 'price', v_res.price,
                                          'reserved_until', v_res.expires_at);
    end if;
  end if;
  if r.status <> 'available' then
    -- The person's own offer is paused while another holder's reservation holds the copy: it is
    -- kept, and they are told when the copy is free again (reservation_end).
    select * into o from offers
     where record_id = r.id and chat_id = p_chat_id and status in ('pending', 'notified') and paused_at is not null
     order by created_at desc, id desc limit 1;
    if o.id is not null then
      return v_base || jsonb_build_object('result', 'offer_paused', 'code', o.code);
    end if;
    return v_base || jsonb_build_object('result', 'unavailable');
  end if;
  if r.price is null then
    return v_base || jsonb_build_object('result', 'no_price');
  end if;
  select * into o from offers
   where record_id = r.id and chat_id = p_chat_id and status in ('pending', 'notified') and expires_at > now()
   order by created_at desc, id desc limit 1;
  if o.id is null then
    select w.exclusive_until into v_until from offer_windows w where w.record_id = r.id and w.exclusive_until > now();
    if v_until is not null and exists (select 1 from offers x where x.record_id = r.id
                                          and x.status in ('pending', 'notified') and x.expires_at > now()) then
      return v_base || jsonb_build_object('result', 'exclusive', 'exclusive_until', v_until);
    end if;
  end if;
  select count(*) into v_held from reservations where chat_id = p_chat_id and status = 'active';
  if v_held >= v_limit then
    return v_base || jsonb_build_object('result', 'limit', 'limit', v_limit);
  end if;
  return v_base || jsonb_build_object('result', 'can_reserve', 'price', coalesce(o.price, r.price), 'original_price', r.price,
    'code', o.code, 'offer_id', o.id, 'reservation_days', app_setting_int('reservation_days', 14));
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261203003100') on conflict do nothing;
