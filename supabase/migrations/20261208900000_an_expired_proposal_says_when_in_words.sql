-- A proposal that expired says when in words, in the organisation's time zone: 'This
-- proposal expired on 1 Dec 2026'; before, 'on 2026-12-01' (the ISO date, in UTC).
--
-- What and why: every other refusal that names a day says it as people read it, through
-- app.organisation_moment_words (20261208300200); decide_proposal printed its ISO form.
-- Restated whole from 20261208801000_a_proposal_decided_while_its_workflow_closes_waits_for_it.sql;
-- the message's date is the one change.
-- supabase/tests/decide_proposal/an_expired_proposal_says_when_in_words.test.sql.

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
    raise exception 'This proposal expired on %', app.organisation_moment_words(p.org_id, p.expires_at, false) using errcode = 'PT409',
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
