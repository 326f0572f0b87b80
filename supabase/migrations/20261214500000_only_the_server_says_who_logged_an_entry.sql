-- Who logged an engagement entry is the database's to say, never the caller's.
--
-- An entry records its author in metadata.logged_by (the person) and, when an AI agent logged
-- it for them through the MCP server, the agent's name in metadata.details.logged_by_agent,
-- which the timeline shows ("logged by the agent Renewal Bot") and which makes its @names
-- mention nobody (20261211100000). Before, both were whatever the caller sent: log_engagement
-- stored any details, so a person's note could pass as an agent's (and an agent's words were
-- an agent's only because the MCP server chose to say so); an ingested event's metadata could
-- name any colleague as its author, or, naming something that is no uuid, make the customer's
-- timeline fail for everyone (22P02).
--
-- Now one trigger, app.engagement_events_attributed, says it on every write path:
-- * the person is auth.uid(), the agent app.calling_agent(): the name the MCP server sends in
--   x-renubu-agent, believed only with x-renubu-agent-proof, an HMAC over the caller's own
--   bearer token and that name with a secret only the database and the service role can read
--   (app.agent_proof). A header without a right proof is 42501; without the headers there is
--   no agent;
-- * a person's write that carries either key itself is refused (22023); a write with no person
--   (the ingest webhook, the service role) has them removed: a sender's metadata is kept but
--   claims nobody;
-- * an update keeps the entry's attribution (an ingested event updated later, for instance).
-- The reserved keys are named once, in app.metadata_without_attribution.
-- docs/agents.md "Who logged it".

-- The secret the MCP server proves an agent's calls with: one row, readable by no API role
-- (the mcp function reads it through public.agent_attestation_key with the service role key).
create table app.agent_attestation (
  id boolean primary key default true constraint agent_attestation_is_one_row check (id),
  secret bytea not null default extensions.gen_random_bytes(32)
);
comment on table app.agent_attestation is
  'The secret with which the mcp function proves that a call comes from it, for an agent it names (app.agent_proof); one row.';
alter table app.agent_attestation enable row level security;
revoke all on table app.agent_attestation from public, anon, authenticated, service_role;
insert into app.agent_attestation default values;

create function app.agent_attestation_secret()
returns bytea
language plpgsql
stable
security definer -- the secret's table is readable by no API role
set search_path = ''
as $$
begin
  return (select a.secret from app.agent_attestation a);
end;
$$;
comment on function app.agent_attestation_secret() is 'The agent attestation secret (app.agent_attestation); for app.agent_proof and the service role''s agent_attestation_key.';
revoke execute on function app.agent_attestation_secret() from public, anon, authenticated;

-- The proof the MCP server sends with an agent's calls: hex HMAC-SHA-256 of "<bearer token>:<name
-- as base64>" (functions-shared/mcp/attestation.ts computes the same). Bound to the token, so a
-- proof seen once cannot name an agent on another person's or another session's calls.
create function app.agent_proof(token text, agent_base64 text)
returns text
language plpgsql
stable
security definer -- reads the secret
set search_path = ''
as $$
begin
  return encode(extensions.hmac(convert_to(agent_proof.token || ':' || agent_proof.agent_base64, 'UTF8'),
                                app.agent_attestation_secret(), 'sha256'), 'hex');
end;
$$;
comment on function app.agent_proof(text, text) is
  'The x-renubu-agent-proof the mcp function sends for an agent named agent_base64 (base64 of its UTF-8 name) on a call carrying this bearer token.';
revoke execute on function app.agent_proof(text, text) from public, anon, authenticated;

-- The agent the MCP server says makes this call, or null when none does.
create function app.calling_agent()
returns text
language plpgsql
stable
security definer -- asks app.agent_proof, which reads the secret
set search_path = ''
as $$
declare
  v_headers jsonb := coalesce(nullif(current_setting('request.headers', true), ''), '{}')::jsonb;
  v_name text := v_headers ->> 'x-renubu-agent';
  v_proof text := v_headers ->> 'x-renubu-agent-proof';
  v_token text := substring(v_headers ->> 'authorization' from '^[Bb]earer +(.+)$');
begin
  if v_name is null and v_proof is null then
    return null;
  end if;
  if v_name is null or v_proof is null or v_token is null or v_proof <> app.agent_proof(v_token, v_name) then
    raise exception 'The x-renubu-agent headers are not the MCP server''s' using errcode = '42501',
      hint = 'Only the MCP server names the agent a call is made by; call without these headers.';
  end if;
  return convert_from(decode(v_name, 'base64'), 'UTF8');
end;
$$;
comment on function app.calling_agent() is
  'The AI agent the MCP server attests makes this call (x-renubu-agent with its x-renubu-agent-proof), or null; 42501 for headers without a right proof.';
revoke execute on function app.calling_agent() from public, anon;
grant execute on function app.calling_agent() to authenticated, service_role;

-- The secret, for the mcp function (service role key only).
create function public.agent_attestation_key()
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  return encode(app.agent_attestation_secret(), 'hex');
end;
$$;
comment on function public.agent_attestation_key() is
  'Service role only: the hex secret the mcp function proves an agent''s calls with (x-renubu-agent-proof).';
revoke execute on function public.agent_attestation_key() from public, anon, authenticated;
grant execute on function public.agent_attestation_key() to service_role;
-- Invoker: the service role may ask the definer helper, nobody else.
grant execute on function app.agent_attestation_secret() to service_role;

-- The one list of the keys an entry's metadata holds for Renubu, not for its writer: who
-- logged it (logged_by) and the agent that did (details.logged_by_agent).
create function app.metadata_without_attribution(metadata jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case when jsonb_typeof(metadata -> 'details') = 'object'
              then jsonb_set(metadata - 'logged_by', '{details}', (metadata -> 'details') - 'logged_by_agent')
              else metadata - 'logged_by' end;
end;
$$;
comment on function app.metadata_without_attribution(jsonb) is
  'An engagement entry''s metadata without the keys Renubu sets (logged_by, details.logged_by_agent): the one list of them.';
revoke execute on function app.metadata_without_attribution(jsonb) from public, anon;
grant execute on function app.metadata_without_attribution(jsonb) to authenticated, service_role;

-- Metadata without attribution, attributed to this person and agent (json nulls: nobody).
create function app.metadata_with_attribution(metadata jsonb, logged_by jsonb, agent jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_metadata jsonb := metadata;
begin
  if coalesce(jsonb_typeof(logged_by), 'null') <> 'null' then
    v_metadata := v_metadata || jsonb_build_object('logged_by', logged_by);
  end if;
  if coalesce(jsonb_typeof(agent), 'null') <> 'null' then
    v_metadata := jsonb_set(v_metadata, '{details}',
      coalesce(case when jsonb_typeof(v_metadata -> 'details') = 'object' then v_metadata -> 'details' end, '{}'::jsonb)
        || jsonb_build_object('logged_by_agent', agent));
  end if;
  return v_metadata;
end;
$$;
comment on function app.metadata_with_attribution(jsonb, jsonb, jsonb) is
  'Metadata (without attribution) credited to a person (logged_by) and an agent (details.logged_by_agent); a json null credits nobody.';
revoke execute on function app.metadata_with_attribution(jsonb, jsonb, jsonb) from public, anon;
grant execute on function app.metadata_with_attribution(jsonb, jsonb, jsonb) to authenticated, service_role;

create function app.engagement_events_attributed()
returns trigger
language plpgsql
security definer -- asks app.calling_agent (the secret) for any writer
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_kept jsonb := app.metadata_without_attribution(new.metadata);
begin
  if tg_op = 'UPDATE' then
    new.metadata := app.metadata_with_attribution(v_kept, old.metadata -> 'logged_by', old.metadata -> 'details' -> 'logged_by_agent');
    return new;
  end if;
  if v_me is not null and v_kept is distinct from new.metadata then
    raise exception 'details.logged_by_agent and logged_by are set by Renubu, not sent' using errcode = '22023',
      hint = 'Who logged an entry is the signed-in person, and the agent the MCP server names when an agent logged it.';
  end if;
  new.metadata := app.metadata_with_attribution(v_kept, to_jsonb(v_me), to_jsonb(app.calling_agent()));
  return new;
end;
$$;
comment on function app.engagement_events_attributed() is
  'Before an engagement entry is written: who logged it is auth.uid() and app.calling_agent(), never the writer''s metadata (a person''s is refused, 22023; any other''s removed); an update keeps it.';
revoke execute on function app.engagement_events_attributed() from public, anon, authenticated;

-- Entries ingested before now keep their metadata, without what only Renubu may say (before the
-- trigger, which would keep it on an update).
update app.engagement_events e
   set metadata = app.metadata_without_attribution(e.metadata)
 where e.source <> 'manual' and app.metadata_without_attribution(e.metadata) is distinct from e.metadata;

create trigger engagement_events_attributed
  before insert or update of metadata on app.engagement_events
  for each row execute function app.engagement_events_attributed();

-- log_engagement stores the details it was sent and leaves who logged it to the trigger; a
-- request under a key is the same one only with the same agent, or none (restated from
-- 20261206271000: the insert's metadata, the replay's comparison and both answers' details).
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
