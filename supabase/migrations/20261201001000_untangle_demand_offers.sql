-- demand.sql was written to stand alone, so it reached the offers (created one migration later)
-- through to_regclass/to_regprocedure and dynamic EXECUTE: a renamed function or a typo would
-- have been skipped silently. Every object exists by now, so these call each other directly
-- and plpgsql checks them like any other reference.

-- The sheet's Предзаказы row of one participant, with their newest offer.
create or replace function preorder_sheet_push(p_participant_id uuid) returns void
language plpgsql set search_path = public, extensions as $$
declare
  p record_participants;
  v_offer record;
begin
  select * into p from record_participants where id = p_participant_id;
  if not found then return; end if;
  select o.code, o.expires_at, o.notified_at into v_offer
    from offers o where o.participant_id = p.id
   order by o.created_at desc, o.id desc limit 1;
  perform sheet_outbox_push('append_row', 'Предзаказы', p.record_id, jsonb_build_object('values', jsonb_build_object(
    'id', p.id, 'at', p.created_at, 'customer', p.participant, 'record_id', p.record_id,
    'contact', coalesce(p.contact, ''), 'status', participant_status_label(p.status),
    'notified', coalesce(v_offer.notified_at is not null, false),
    'offer', coalesce(v_offer.code, ''), 'expires_at', v_offer.expires_at)));
end
$$;

-- The sent marker. The first completion wins; a late one (lease lost) changes nothing.
create or replace function delivery_complete(p_id bigint, p_worker text, p_message_id bigint) returns boolean
language plpgsql set search_path = public, extensions as $$
declare
  d telegram_deliveries;
begin
  update telegram_deliveries set status = 'sent', sent_at = now(), telegram_message_id = p_message_id,
         lease_until = null, worker = p_worker
   where id = p_id and status = 'pending'
  returning * into d;
  if not found then return false; end if;
  if d.kind = 'offer' and d.offer_id is not null then
    perform offer_delivered(d.offer_id);
  end if;
  return true;
end
$$;

-- /stop: the person's requests are cancelled (they no longer count) and their live offers too.
create or replace function demand_stop(p_chat_id bigint) returns jsonb
language plpgsql set search_path = public, extensions as $$
declare
  v_records uuid[];
  v_parts uuid[];
  v_id uuid;
begin
  select array_agg(distinct record_id), array_agg(id order by id) into v_records, v_parts from record_participants
   where chat_id = p_chat_id and status in ('active', 'notified', 'unreachable');
  if v_records is null then return jsonb_build_object('cancelled', 0); end if;
  -- Lock the records in a stable order before touching their participants.
  perform 1 from records where id = any(v_records) order by id for update;
  update record_participants set status = 'cancelled', updated_at = now() where id = any(v_parts);
  perform offers_cancel_for_participants(v_parts, 'stopped');
  foreach v_id in array v_records loop
    perform record_demand_recount(v_id, false);
    perform record_demand_sheet_push(v_id);
  end loop;
  foreach v_id in array v_parts loop
    perform preorder_sheet_push(v_id);
  end loop;
  return jsonb_build_object('cancelled', cardinality(v_parts));
end
$$;

select app_restrict_functions();
insert into app_schema_versions (version) values ('20261201001000') on conflict do nothing;
