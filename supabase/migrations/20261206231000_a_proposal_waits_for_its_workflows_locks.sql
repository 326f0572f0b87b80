-- A proposal waits for its workflow's locks, and asks its state on the locked row
-- (docs/escalation-loop.md "What the hold blocks").
--
-- What and why: propose_action read the workflow without a lock and then checked who may
-- propose and whether the workflow takes actions. An escalation (or a close, or a
-- reassignment) committing between that read and the proposal's own commit left a
-- proposal waiting on a workflow that is on hold or closed, which no one could approve.
-- Every other writer of a workflow (execute_action, create_task, set_renewal_forecast, the
-- lifecycle functions) locks the assignee's workload and then the execution row, and asks
-- on the locked row; propose_action now does the same, through the same helper
-- (app.lock_workable_execution, 20261206225000), so the two are serialised. Restated
-- whole from 20261206202000; the lock, and the two checks (who may propose, whether the
-- workflow takes actions) now made on the locked row, are the only change, besides the
-- rationale trimmed with app.trimmed (20261206226000). tests/integration/proposal-races.test.ts holds an
-- escalation and a cancellation open while a proposal is made.

create or replace function public.propose_action(
  action_key text,
  rationale text,
  params jsonb default '{}',
  execution_id uuid default null,
  thread_id uuid default null,
  message_id uuid default null,
  author_id uuid default null,
  source text default null,
  source_ref text default null
)
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
          propose_action.thread_id, propose_action.message_id, left(nullif(btrim(propose_action.source_ref), ''), 200), author.id)
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
