-- A proposal's source_ref (the agent client that proposed it) that is blank is stored as
-- none, as every optional text is (docs/business-rules.md "Required text", migration
-- 20261206240000).
--
-- What and why: propose_action stored source_ref through btrim, which strips spaces only:
-- an agent named " \u200b " or "\t" (the MCP function passes the client's own name on; a
-- direct call may send any) was recorded as "\u200b" or "\t", and the proposal card then
-- said it was proposed by nothing. It now goes through app.trimmed (null when nothing is
-- left), still cut to 200 characters.
--
-- Restated whole from 20261206231000; source_ref is the only change.
-- supabase/tests/propose_action/a_blank_agent_name_is_none.test.sql.

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

  insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, thread_id, message_id,
                                    source_ref, proposed_for)
  values (e.org_id, e.id, propose_action.action_key, v_params, app.trimmed(propose_action.rationale), v_source,
          propose_action.thread_id, propose_action.message_id, left(app.trimmed(propose_action.source_ref), 200), author.id)
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

