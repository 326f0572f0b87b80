-- log_engagement refuses details holding a control character or a text-direction override
-- naming them as the caller sent them (`details.risk`, "a key in details"), before anything is
-- stored; the check constraint of 20261216700000 on engagement_events.metadata would refuse
-- the same, but naming the column (`metadata.details.risk`) that the caller never wrote.
-- Restated from 20261216310000: the one added line is the require_displayable_json after
-- refuse_entry_attribution.
create or replace function app.log_engagement(customer_id uuid, kind text, occurred_at timestamptz, summary text, details jsonb, request_key text default null)
returns jsonb
language plpgsql
security definer -- the insert policy on engagement_events is managers/admins only; the checks below allow csms too
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_summary text := coalesce(app.trimmed(log_engagement.summary), '');
  v_details jsonb := coalesce(log_engagement.details, '{}'::jsonb);
  e app.engagement_events;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can log activity' using errcode = '42501';
  end if;
  if v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not log activity' using errcode = '42501',
      hint = 'Viewers can read a customer''s timeline but not add to it.';
  end if;
  perform app.check_request_key(log_engagement.request_key, 'idempotency_key', 200);
  -- Logged already under this key (an answer lost on its way back): that entry, if it is the
  -- same request, by the same agent or none. When it happened is not compared: a form left at
  -- "now" sends the time of each send.
  if log_engagement.request_key is not null then
    select * into e from app.engagement_events x
     where x.org_id = v_org and x.metadata ->> 'logged_by' = v_me::text and x.request_key = log_engagement.request_key;
    if found then
      if e.customer_id is distinct from log_engagement.customer_id or e.event_type is distinct from log_engagement.kind
         or e.description is distinct from v_summary
         or app.metadata_without_attribution(e.metadata) -> 'details' is distinct from v_details
         or e.metadata -> 'details' ->> 'logged_by_agent' is distinct from app.calling_agent() then
        raise exception 'this key was used for a different request' using errcode = 'PT409',
          hint = 'Send a new idempotency_key for a new entry.';
      end if;
      return jsonb_build_object(
        'id', e.id, 'customer_id', e.customer_id, 'kind', e.event_type, 'occurred_at', e.occurred_at,
        'summary', e.description, 'details', e.metadata -> 'details', 'logged_by', v_me, 'created_at', e.created_at);
    end if;
  end if;
  if log_engagement.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  if not exists (select 1 from app.customers c where c.id = log_engagement.customer_id and c.org_id = v_org) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  if log_engagement.kind is null or log_engagement.kind not in ('note', 'call', 'meeting', 'email') then
    raise exception 'kind must be note, call, meeting or email' using errcode = '22023';
  end if;
  if log_engagement.occurred_at is null then
    raise exception 'occurred_at is required' using errcode = '22023', hint = 'When did it happen?';
  end if;
  -- What happened, not what is planned (a few minutes' grace for a skewed clock).
  if log_engagement.occurred_at > now() + interval '5 minutes' or log_engagement.occurred_at < now() - interval '10 years' then
    raise exception 'occurred_at must be in the past (within the last ten years)' using errcode = '22023',
      hint = 'Log what happened; plan future meetings as tasks.';
  end if;
  if v_summary = '' then
    raise exception 'summary is required' using errcode = '22023', hint = 'Say in a few words what happened.';
  end if;
  if length(v_summary) > 4000 then
    raise exception 'summary must be at most 4000 characters' using errcode = '22023';
  end if;
  if jsonb_typeof(v_details) <> 'object' then
    raise exception 'details must be a JSON object' using errcode = '22023';
  end if;
  perform app.refuse_entry_attribution(v_details, 'details');
  perform app.require_displayable_json(v_details, 'details');
  if length(v_details::text) > 16000 then
    raise exception 'details must be at most 16 kB' using errcode = '22023';
  end if;

  begin
    -- Who logged it, the person and any agent, is engagement_events_attributed's to add.
    insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description, metadata, source, request_key)
    values (v_org, log_engagement.customer_id, log_engagement.kind, log_engagement.occurred_at,
            left(split_part(v_summary, E'\n', 1), 200), v_summary,
            jsonb_build_object('details', v_details), 'manual', log_engagement.request_key)
    returning * into e;
  exception when unique_violation then
    -- Another call with this key logged its entry first: answer with that one.
    if log_engagement.request_key is null then
      raise;
    end if;
    return app.log_engagement(log_engagement.customer_id, log_engagement.kind, log_engagement.occurred_at,
                              log_engagement.summary, log_engagement.details, log_engagement.request_key);
  end;

  return jsonb_build_object(
    'id', e.id, 'customer_id', e.customer_id, 'kind', e.event_type, 'occurred_at', e.occurred_at,
    'summary', e.description, 'details', e.metadata -> 'details', 'logged_by', v_me, 'created_at', e.created_at);
end;
$$;
