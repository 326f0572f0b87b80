-- A proposal decided while its workflow closes waits for the close, then says it expired
-- (docs/branches-and-proposals.md "AI proposals"; docs/workflow-engine.md "Locks").
--
-- What and why: decide_proposal asked its workflow's status (app.proposal_waits) with a
-- plain read, which does not wait for a writer. Approved while a cancellation (or a
-- completion, a skip) of the workflow was in flight, it read the workflow open and ran the
-- action, whose locks waited for the close and which then answered its own refusal
-- ("Cannot run "Snooze Workflow" on this workflow: it is cancelled") instead of the
-- proposal's ("This proposal expired: its workflow is cancelled", the rule of
-- 20261208202000). The decision now locks the workflow as its writers do
-- (app.lock_workable_execution: the assignee's workload, then the row, asked again on the
-- locked row) before it asks the status, so a close in flight is waited for and read, and a
-- workflow handed to someone else meanwhile is answered as every writer answers it.
-- Lock order: the decision's key, the proposal, then the workflow's locks (what the action
-- it runs takes anyway); nothing that holds a workflow's locks waits for one of its
-- proposals (the hourly expiry job holds no workflow lock).
-- Restated whole from 20261208202000_a_closed_workflows_proposal_takes_no_decision.sql; the
-- read of the status is the one change.
-- tests/integration/proposal-races.test.ts "a proposal decided while its workflow closes".

create or replace function public.decide_proposal(
  proposal_id uuid,
  approve boolean,
  params jsonb default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  p app.action_proposals;
  v_params jsonb;
  v_action jsonb;
  v_key text := decide_proposal.idempotency_key;
  v_workflow_status text;
  v_execution app.workflow_executions;
begin
  if decide_proposal.proposal_id is null or decide_proposal.approve is null then
    raise exception 'proposal_id and approve are required' using errcode = '22023';
  end if;
  if decide_proposal.params is not null and jsonb_typeof(decide_proposal.params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  perform app.check_request_key(v_key, 'idempotency_key', 200);
  if not decide_proposal.approve and decide_proposal.params is not null then
    raise exception 'params are for an approval; a rejection executes nothing' using errcode = '22023';
  end if;

  -- Serialised per person and key, so two decisions sent at once with one key cannot both
  -- take it (checked below, once the proposal is known to exist and be the caller's to decide).
  if v_key is not null then
    perform pg_catalog.pg_advisory_xact_lock(
      pg_catalog.hashtextextended('renubu.decision-key:' || (select auth.uid()) || ':' || v_key, 0));
  end if;

  p := app.lock_proposal_for_decision(decide_proposal.proposal_id);

  -- A key names one decision: the same person's key already on another proposal is another
  -- request (PT409), as execute_action's is.
  if v_key is not null and exists (select 1 from app.action_proposals x
                                    where x.decided_by = (select auth.uid()) and x.idempotency_key = v_key
                                      and x.id <> p.id) then
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Use a new idempotency key for each decision; a retry repeats the same decision on the same proposal.';
  end if;

  if p.status <> 'proposed' then
    -- The same decision again, by the same person with the same key: its stored outcome.
    if p.decided_by = (select auth.uid()) and v_key is not null and p.idempotency_key = v_key
       and (p.status = 'approved') = decide_proposal.approve then
      -- … with the same params (none sent means the proposal's own, as on approval)
      if decide_proposal.approve and coalesce(decide_proposal.params, p.params) is distinct from p.decided_params then
        raise exception 'this key was used for a different request' using errcode = 'PT409',
          hint = 'A retry repeats the same decision with the same params; a new decision needs a new idempotency key.';
      end if;
      return jsonb_build_object('proposal', app.proposal_json(p), 'action', case when p.action_execution_id is null then null
               else public.execute_action(p.action_key, p.execution_id, p.decided_params, 'proposal:' || p.id) end,
               'replayed', true);
    end if;
    raise exception 'This proposal was already %', p.status using errcode = 'PT409',
      hint = 'Only a proposal still waiting can be approved or rejected.';
  end if;
  -- It waits only before its date and while its workflow is open (app.proposal_waits, the
  -- rule by which it reads expired): otherwise neither decision is taken.
  -- Asked on the workflow locked as its writers lock it, so a close in flight is waited for
  -- and read (a plain read took it for open, and the action answered its own refusal).
  select * into v_execution from app.workflow_executions x where x.id = p.execution_id;
  v_execution := app.lock_workable_execution(v_execution, 'decide proposals on');
  v_workflow_status := v_execution.status;
  if not app.proposal_waits(p, v_workflow_status) then
    if not app.is_open_status(v_workflow_status) then
      raise exception 'This proposal expired: its workflow is %', app.status_words(v_workflow_status) using errcode = 'PT409',
        hint = 'Nothing runs on a closed workflow: add a task to the customer, or open a new workflow.';
    end if;
    raise exception 'This proposal expired on %', to_char(p.expires_at, 'YYYY-MM-DD') using errcode = 'PT409',
      hint = 'Ask the assistant again, or run the action yourself.';
  end if;

  if decide_proposal.approve then
    v_params := coalesce(decide_proposal.params, p.params);
    -- The action's own key is the proposal's: one proposal is executed at most once.
    v_action := public.execute_action(p.action_key, p.execution_id, v_params, 'proposal:' || p.id);
    p := app.record_proposal_decision(p.id, true, v_params, (v_action ->> 'action_execution_id')::uuid, v_key);
  else
    p := app.record_proposal_decision(p.id, false, null, null, v_key);
  end if;
  return jsonb_build_object('proposal', app.proposal_json(p), 'action', v_action, 'replayed', false);
end;
$$;
