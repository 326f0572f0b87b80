-- create_agent_draft takes an idempotency key, so an agent that lost a draft's answer and
-- drafts again gets the draft it made, not a second one for the person to find and discard.
--
-- What and why: the MCP tool draft_email (docs/agents.md) calls create_agent_draft. An agent
-- whose call reached the database and committed, but whose answer was lost (a timeout, a
-- dropped connection), calls again, and every retry stored another copy of the same email in
-- the workflow's drafts. create_task and log_engagement already take a key
-- (20261206270000, 20261206271000); drafts now follow the same rule (docs/api-contract.md,
-- idempotency): the same key with the same request answers the draft it made (as it is now,
-- with any edit the person made since); with another request (another workflow, type,
-- title, content or agent) it is PT409 "this key was used for a different request" and
-- nothing is stored.
--
-- - app.workflow_task_artifacts.request_key: the key a draft was made with, unique per
--   person who made it within the organisation; null for everything made without one.
-- - create_agent_draft(…, idempotency_key text default null): checked by
--   app.check_request_key (1 to 200 characters, never blank). The request is compared with
--   the draft's first version, which no edit changes. A replay is answered before the other
--   checks, as create_task's is. Two calls with one key at once: the second waits for the
--   first's row at the unique index and answers it; its own draft is rolled back.
-- - app.mark_artifact_drafted_by_agent(…, request_key text default null): the one update
--   that marks the new draft as the agent's also stores its key.
-- Restated whole from their latest definitions (create_agent_draft 20261206251000,
-- app.mark_artifact_drafted_by_agent 20261204000800); the key is the only change.
-- supabase/tests/create_agent_draft/an_agents_draft_is_made_once_per_key.test.sql.

alter table app.workflow_task_artifacts add column request_key text;
create unique index workflow_task_artifacts_request_key_idx
  on app.workflow_task_artifacts (org_id, created_by, request_key) where request_key is not null;
comment on column app.workflow_task_artifacts.request_key is
  'The idempotency key create_agent_draft made this draft with (unique per maker and organisation); null otherwise.';

-- The draft an earlier request of the caller made under this key, checked to be the same
-- request (its first version, so a later edit by the person does not turn a replay into a
-- refusal). Null when the key is new.
create function app.agent_draft_made_under_key(
  request_key text, execution_id uuid, artifact_type text, title text, content jsonb, agent_name text)
returns app.workflow_task_artifacts
language plpgsql
stable
set search_path = ''
as $$
declare
  a app.workflow_task_artifacts;
  first_version app.workflow_task_artifact_versions;
begin
  select * into a from app.workflow_task_artifacts x
   where x.org_id = app.current_org_id() and x.created_by = (select auth.uid())
     and x.request_key = agent_draft_made_under_key.request_key;
  if not found then
    return null;
  end if;
  select * into first_version from app.workflow_task_artifact_versions v where v.artifact_id = a.id and v.version = 1;
  if a.execution_id is distinct from agent_draft_made_under_key.execution_id
     or a.artifact_type is distinct from agent_draft_made_under_key.artifact_type
     or a.ai_model is distinct from agent_draft_made_under_key.agent_name
     or first_version.title is distinct from agent_draft_made_under_key.title
     or first_version.content is distinct from agent_draft_made_under_key.content then
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key for a new draft.';
  end if;
  return a;
end;
$$;
revoke execute on function app.agent_draft_made_under_key(text, uuid, text, text, jsonb, text) from public, anon;
grant execute on function app.agent_draft_made_under_key(text, uuid, text, text, jsonb, text) to authenticated;

drop function public.create_agent_draft(uuid, text, text, jsonb, text);
drop function app.mark_artifact_drafted_by_agent(uuid, text);
create function app.mark_artifact_drafted_by_agent(p_artifact_id uuid, p_agent_name text, p_request_key text default null)
returns app.workflow_task_artifacts
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
begin
  update app.workflow_task_artifacts a
     set generated_by = 'agent', ai_model = p_agent_name, request_key = p_request_key
   where a.id = p_artifact_id
     and a.created_by = (select auth.uid())
     and a.version = 1
     and a.created_at = now()            -- now() is this transaction's start: made just now
     and a.generated_by = 'manual'
  returning a.* into artifact;
  if artifact.id is null then
    raise exception 'Only a draft made in this request can be marked as an agent''s' using errcode = '42501';
  end if;
  return artifact;
end;
$$;
revoke execute on function app.mark_artifact_drafted_by_agent(uuid, text, text) from public, anon;
grant execute on function app.mark_artifact_drafted_by_agent(uuid, text, text) to authenticated;

create function public.create_agent_draft(execution_id uuid, artifact_type text, title text, content jsonb, agent_name text,
                                          idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  created jsonb;
  made app.workflow_task_artifacts;
  v_agent text := app.trimmed(create_agent_draft.agent_name);
begin
  if v_agent is null or length(v_agent) > 100 then
    raise exception 'agent_name is required (at most 100 characters): the client that drafted it' using errcode = '22023';
  end if;
  perform app.check_request_key(create_agent_draft.idempotency_key, 'idempotency_key', 200);
  if create_agent_draft.idempotency_key is not null then
    made := app.agent_draft_made_under_key(create_agent_draft.idempotency_key, create_agent_draft.execution_id,
              create_agent_draft.artifact_type, create_agent_draft.title, create_agent_draft.content, v_agent);
    if made.id is not null then
      return app.artifact_json(made);
    end if;
  end if;
  begin
    created := public.create_artifact(
      execution_id => create_agent_draft.execution_id,
      artifact_type => create_agent_draft.artifact_type,
      title => create_agent_draft.title,
      content => create_agent_draft.content
    );
    -- After create_artifact's own checks, so who may draft where is answered first.
    perform app.check_drafted_text(create_agent_draft.artifact_type, create_agent_draft.content);
    made := app.mark_artifact_drafted_by_agent((created ->> 'id')::uuid, v_agent, create_agent_draft.idempotency_key);
  exception when unique_violation then
    -- Another call with this key committed its draft first: this one's is rolled back (the
    -- block), and the answer is that draft, if it is the same request.
    made := app.agent_draft_made_under_key(create_agent_draft.idempotency_key, create_agent_draft.execution_id,
              create_agent_draft.artifact_type, create_agent_draft.title, create_agent_draft.content, v_agent);
    if made.id is null then
      raise;
    end if;
  end;
  return app.artifact_json(made);
end;
$$;
comment on function public.create_agent_draft(uuid, text, text, jsonb, text, text) is
  'An unapproved artifact drafted by an AI agent acting for the caller (generated_by agent, the agent''s name in ai_model). '
  'With an idempotency_key, the same request again answers the draft it made; another request with that key is PT409.';
revoke execute on function public.create_agent_draft(uuid, text, text, jsonb, text, text) from public, anon;
grant execute on function public.create_agent_draft(uuid, text, text, jsonb, text, text) to authenticated;
