-- The agent named on a draft or a proposal is the MCP server's to say, as the agent on a logged
-- entry is (20261214500000): create_agent_draft's agent_name and propose_action's source_ref,
-- sent by a person's own call, were stored as sent, so anyone signed in could make a draft
-- "drafted by the agent Renewal Bot" or a proposal from any agent they named. Now one rule,
-- app.agent_name_of_call: the name is app.calling_agent() (the attested x-renubu-agent), any
-- name sent is not read, and one sent without the attestation is 22023 naming the argument; the service role (the assistant's own
-- chat and brief) is believed, as it is for everything it writes. create_agent_draft is an
-- agent's only: without the MCP server's attestation it is 42501 (a person writes their own
-- draft with create_artifact), and its agent_name may be left out. A person's own call of
-- propose_action (the token is the whole sign-in, docs/agents.md) is stored with no agent named.
-- docs/agents.md "Who logged it".

create function app.agent_name_of_call(supplied text, field text)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_supplied text := app.trimmed(agent_name_of_call.supplied);
  v_agent text;
begin
  if current_user = 'service_role' then
    return v_supplied; -- the assistant's own writes (chat, brief): the service role is believed
  end if;
  v_agent := app.trimmed(app.calling_agent());
  if v_agent is not null then
    return v_agent; -- attested: whatever name was sent is not read
  end if;
  if v_supplied is not null then
    raise exception '% is the MCP server''s to say, not sent', agent_name_of_call.field using errcode = '22023',
      hint = 'The agent a call is made by is named by the MCP server (docs/agents.md); leave it out.';
  end if;
  return null;
end;
$$;
comment on function app.agent_name_of_call(text, text) is
  'The agent a call is made by: app.calling_agent(), a name sent not read (the service role''s own name as sent); a name sent without the attestation is 22023 naming the field.';
revoke execute on function app.agent_name_of_call(text, text) from public, anon;
grant execute on function app.agent_name_of_call(text, text) to authenticated, service_role;

-- Restated from 20261208200000: the agent's name (v_agent) the one change.
create or replace function public.propose_action(action_key text, rationale text, params jsonb default '{}', execution_id uuid default null, thread_id uuid default null, message_id uuid default null, author_id uuid default null, source text default null, source_ref text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
#variable_conflict use_column
declare
  e app.workflow_executions;
  author app.profiles;
  p app.action_proposals;
  v_source text := coalesce(propose_action.source, case when propose_action.thread_id is not null then 'thread' else 'agent' end);
  v_author uuid := app.proposal_author_id(v_source, propose_action.author_id);
  -- The agent's name is the MCP server's attestation, never the argument (20261214500100).
  v_agent text := app.agent_name_of_call(propose_action.source_ref, 'source_ref');
  v_execution uuid;
  v_params jsonb := coalesce(propose_action.params, '{}'::jsonb);
  v_action app.saved_actions;
begin
  if app.trimmed(propose_action.rationale) is null or length(propose_action.rationale) > 2000 then
    raise exception 'rationale is required (at most 2000 characters): why this action helps' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  v_execution := app.proposal_execution_id(v_source, propose_action.execution_id, propose_action.thread_id, propose_action.message_id);
  if v_execution is null then
    raise exception 'execution_id is required' using errcode = '22023';
  end if;
  select * into e from app.workflow_executions x where x.id = v_execution;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  -- Locked as the other writers of a workflow lock it (the assignee's workload, then the
  -- row), and who may propose and the workflow's state asked on the locked row: an
  -- escalation, a close or a reassignment committing now is waited for and seen, and one
  -- that starts now waits for this proposal.
  e := app.lock_workable_execution(e, 'propose actions on');
  author := app.proposal_author(e, v_author);
  perform app.require_workflow_accepts(e, 'action', 'propose an action on');
  v_action := app.available_action(propose_action.action_key, e.org_id);
  perform app.require_action_params(v_action.action_type, v_params);
  -- What the action needs to run, within the limits it will apply (app.require_params_to_run):
  -- a proposal that could only be refused on Approve is refused now, naming the param.
  perform app.require_params_to_run(v_action.action_type, v_action.config, e, v_params);

  insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, thread_id, message_id,
                                    source_ref, proposed_for)
  values (e.org_id, e.id, propose_action.action_key, v_params, app.trimmed(propose_action.rationale), v_source,
          propose_action.thread_id, propose_action.message_id, left(v_agent, 200), author.id)
  on conflict (execution_id, action_key, md5(params::text)) where status = 'proposed' do nothing
  returning * into p;
  if p.id is null then
    -- The same suggestion is already waiting: return it, notify nobody again.
    select * into p from app.action_proposals x
     where x.execution_id = e.id and x.action_key = propose_action.action_key and x.params = v_params and x.status = 'proposed';
    return app.proposal_json(p) || jsonb_build_object('duplicate', true);
  end if;
  perform app.notify_proposal(p, e, author.id, v_action.name);
  return app.proposal_json(p) || jsonb_build_object('duplicate', false);
end;
$$;


-- Restated from 20261206310000: the agent is the attested one (agent_name may be left out and
-- is not read), and without one it is 42501.
create or replace function public.create_agent_draft(execution_id uuid, artifact_type text, title text, content jsonb, agent_name text default null,
                                                     idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  created jsonb;
  made app.workflow_task_artifacts;
  v_agent text := app.agent_name_of_call(create_agent_draft.agent_name, 'agent_name');
begin
  if v_agent is null then
    raise exception 'An agent''s draft is made through the MCP server' using errcode = '42501',
      hint = 'Write your own draft with create_artifact.';
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
  'An unapproved artifact drafted by an AI agent acting for the caller, through the MCP server only (generated_by agent, the attested agent''s name in ai_model; 42501 without it). '
  'With an idempotency_key, the same request again answers the draft it made; another request with that key is PT409.';
