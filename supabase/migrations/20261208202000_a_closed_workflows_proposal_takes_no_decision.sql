-- A proposal on a workflow that closed takes no decision (docs/branches-and-proposals.md
-- "AI proposals").
--
-- What and why: since migration 20261206330000 a proposal waits only while its workflow is
-- open (app.proposal_waits): on a completed, skipped, cancelled or superseded workflow it
-- reads expired, leaves the list of waiting proposals and the brief, and the hourly job
-- marks it. decide_proposal still asked only its date: a rejection of such a proposal was
-- taken, turning one that read expired into "rejected" by the person, and an approval
-- answered the action's refusal ("Cannot run … on this workflow: it is cancelled") instead
-- of saying the proposal had expired. Both are now PT409 "This proposal expired: its
-- workflow is cancelled", by the same rule, and the proposal is left for the job to mark.
-- Restated whole from 20261206250000; only the expiry check changed.
-- supabase/tests/decide_proposal/a_closed_workflows_proposal_takes_no_decision.test.sql.

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
  select x.status into v_workflow_status from app.workflow_executions x where x.id = p.execution_id;
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
