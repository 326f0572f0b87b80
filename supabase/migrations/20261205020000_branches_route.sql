-- Chat branches route (issue 12 item 2; docs/branches-and-proposals.md "Chat branches route"): choosing a
-- `fixed` or `saved_action` branch now moves the workflow where the branch says, and an
-- escalated workflow is a hold for complete_step.
--
-- Before: the web app completed the step for a fixed branch (always to the NEXT step) and
-- ran a saved action's key with no defaults and no return; `next_step_key` and
-- `return_step_key` were stored but never read (6 of 16 fixed branches of the catalogue
-- should jump, 16 saved-action branches should return elsewhere).
--
-- public.choose_chat_branch(execution_id, step_key, branch_key, params, idempotency_key)
-- is the one door, in one transaction:
--
--   fixed         step X completed ──► next_step_key T (else the next step)
--                 forward:  pending steps between X and T become skipped "Not applicable"
--                 backward: T is reopened (in_progress again); the steps after it keep
--                           their state, so finishing T continues with the next pending step
--   saved_action  execute_action(saved_action_key, branch defaults || params, key) as the
--                 caller (the CSM confirmed the prefilled form); then return_step_key T
--                 becomes the current step the same way (X completed, jumped steps
--                 skipped); without T, or T = where the action left the workflow: stay
--   llm | rag     not routed here: they open a chat (create_chat_thread)
--
-- Guard first: the execution is locked (workload lock, then the row), must be
-- `in_progress` (escalated is a hold: PT409), and the branch's step must be the current
-- one, so a stale screen or a double click never routes twice. A replayed saved-action
-- idempotency key returns the stored action result and routes nothing.
--
-- complete_step is copied whole from 20261125130000_engine_lifecycle.sql; the one change is
-- that `escalated` no longer completes steps (complete_chat_thread goes through it too).

-- ---------------------------------------------------------------------------------
-- app.route_execution_step: move the current step to a branch's target
-- ---------------------------------------------------------------------------------
create or replace function app.route_execution_step(
  execution_id uuid,
  from_step_key text,
  target_step_key text,
  outcome jsonb
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_from app.workflow_step_executions;
  v_to app.workflow_step_executions;
  v_cur app.workflow_step_executions;
  v_skipped jsonb := '[]'::jsonb;
  v_direction text;
begin
  -- The caller holds the execution's lock.
  select * into e from app.workflow_executions x where x.id = route_execution_step.execution_id;
  select * into v_from from app.workflow_step_executions s
   where s.execution_id = e.id and s.org_id = e.org_id and s.step_key = route_execution_step.from_step_key for update;
  select * into v_to from app.workflow_step_executions s
   where s.execution_id = e.id and s.org_id = e.org_id and s.step_key = route_execution_step.target_step_key for update;
  if v_to.id is null or v_from.id is null then
    raise exception 'This branch leads to step "%", which this workflow does not have', route_execution_step.target_step_key
      using errcode = '22023', hint = 'An admin can correct the branch in the workflow definition.';
  end if;
  select * into v_cur from app.workflow_step_executions s
   where s.execution_id = e.id and s.org_id = e.org_id and s.status = 'in_progress'
   order by s.step_index limit 1 for update;

  -- Already there (a branch that stays, or an action such as skip that moved on to it).
  if v_cur.id = v_to.id then
    return jsonb_build_object('moved', false, 'from', v_from.step_key, 'to', v_to.step_key, 'direction', 'stay',
                              'skipped', '[]'::jsonb);
  end if;

  -- Leave: the branch's step is done; a step the action itself started (skip) is un-started.
  if v_cur.id = v_from.id then
    update app.workflow_step_executions s
       set status = 'completed', completed_at = now(), skip_reason = null,
           outcome = s.outcome || coalesce(route_execution_step.outcome, '{}'::jsonb)
     where s.id = v_from.id;
  elsif v_cur.id is not null then
    update app.workflow_step_executions s set status = 'pending', started_at = null where s.id = v_cur.id;
  end if;

  -- Jump forward: the steps jumped over do not apply.
  if v_to.step_index > v_from.step_index then
    v_direction := 'forward';
    with skipped as (
      update app.workflow_step_executions s
         set status = 'skipped', skip_reason = 'Not applicable', completed_at = now(),
             outcome = s.outcome || jsonb_build_object('skipped_by_branch', route_execution_step.outcome ->> 'branch_key')
       where s.execution_id = e.id and s.org_id = e.org_id and s.status = 'pending'
         and s.step_index > v_from.step_index and s.step_index < v_to.step_index
      returning s.step_key, s.step_index
    )
    select coalesce(jsonb_agg(k.step_key order by k.step_index), '[]'::jsonb) into v_skipped from skipped k;
  else
    v_direction := case when v_to.id = v_from.id then 'stay' else 'backward' end;
  end if;

  -- Arrive: the target is the current step (reopened when it was done).
  update app.workflow_step_executions s
     set status = 'in_progress', started_at = now(), completed_at = null, skip_reason = null
   where s.id = v_to.id;

  update app.workflow_executions x
     set current_step_key = v_to.step_key,
         current_step_index = v_to.step_index,
         completed_steps = (select count(*) from app.workflow_step_executions s
                             where s.execution_id = x.id and s.org_id = x.org_id and s.status in ('completed', 'skipped')),
         metadata = app.with_history(x.metadata, jsonb_build_object(
                      'event', 'step_routed', 'from_step_key', v_from.step_key, 'step_key', v_to.step_key,
                      'direction', v_direction, 'skipped', v_skipped, 'reason', case when jsonb_array_length(v_skipped) > 0
                                                                                    then 'Not applicable' end,
                      'branch_key', route_execution_step.outcome ->> 'branch_key',
                      'branch_type', route_execution_step.outcome ->> 'branch_type'))
   where x.id = e.id;

  return jsonb_build_object('moved', true, 'from', v_from.step_key, 'to', v_to.step_key, 'direction', v_direction,
                            'skipped', v_skipped);
end;
$$;
comment on function app.route_execution_step(uuid, text, text, jsonb) is
  'Moves an execution from a branch''s step to its target: the step completed, steps jumped forward skipped "Not applicable", the target (re)opened.';
revoke execute on function app.route_execution_step(uuid, text, text, jsonb) from public, anon;
grant execute on function app.route_execution_step(uuid, text, text, jsonb) to authenticated, service_role;

-- The refusal for an escalated workflow, one wording for every step-moving function.
create or replace function app.refuse_escalated_hold(e app.workflow_executions, verb text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if e.status = 'escalated' then
    raise exception 'Cannot % this workflow: it is escalated and on hold', refuse_escalated_hold.verb using errcode = 'PT409',
      hint = 'Withdraw the escalation, or wait until the manager returns it to you.';
  end if;
end;
$$;
revoke execute on function app.refuse_escalated_hold(app.workflow_executions, text) from public, anon;
grant execute on function app.refuse_escalated_hold(app.workflow_executions, text) to authenticated, service_role;

-- ---------------------------------------------------------------------------------
-- public.choose_chat_branch
-- ---------------------------------------------------------------------------------
create or replace function public.choose_chat_branch(
  execution_id uuid,
  step_key text,
  branch_key text,
  params jsonb default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  e app.workflow_executions;
  b app.workflow_chat_branches;
  s app.workflow_step_executions;
  v_params jsonb;
  v_outcome jsonb;
  v_action jsonb;
  v_route jsonb;
  v_step jsonb;
begin
  if coalesce(btrim(choose_chat_branch.step_key), '') = '' or coalesce(btrim(choose_chat_branch.branch_key), '') = '' then
    raise exception 'step_key and branch_key are required' using errcode = '22023',
      hint = 'Pass the step shown and the key of the branch chosen (get_workflow_execution lists them).';
  end if;
  if choose_chat_branch.params is not null and jsonb_typeof(choose_chat_branch.params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  e := app.lock_execution(choose_chat_branch.execution_id, 'work on');

  select * into b from app.workflow_chat_branches x
   where x.workflow_version_id = e.workflow_version_id
     and x.step_key = choose_chat_branch.step_key and x.branch_key = choose_chat_branch.branch_key;
  if not found then
    raise exception 'Branch "%" is not offered at step "%" of this workflow', choose_chat_branch.branch_key, choose_chat_branch.step_key
      using errcode = '22023', hint = 'Use a branch of the step as get_workflow_execution lists it.';
  end if;
  if b.branch_type in ('llm', 'rag') then
    raise exception 'Branch "%" opens a chat; it does not route', b.branch_key using errcode = '22023',
      hint = 'Open its chat with create_chat_thread.';
  end if;
  v_params := coalesce(b.config -> 'defaults', '{}'::jsonb) || coalesce(choose_chat_branch.params, '{}'::jsonb);

  -- A replayed confirmation: the action's stored result, nothing applied or routed again.
  if b.branch_type = 'saved_action' and choose_chat_branch.idempotency_key is not null and exists (
       select 1 from app.action_executions x
        where x.org_id = e.org_id and x.executed_by = (select auth.uid())
          and x.idempotency_key = choose_chat_branch.idempotency_key) then
    v_action := public.execute_action(b.saved_action_key, e.id, v_params, choose_chat_branch.idempotency_key);
    return jsonb_build_object('branch', jsonb_build_object('key', b.branch_key, 'type', b.branch_type, 'label', b.label),
      'step_key', b.step_key, 'action', v_action, 'route', null, 'replayed', true,
      'execution', app.execution_summary(e.id));
  end if;

  perform app.refuse_escalated_hold(e, 'route');
  if e.status <> 'in_progress' then
    raise exception 'Cannot follow this branch: the workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.' else 'Closed workflows cannot change.' end;
  end if;
  perform app.create_step_rows(array[e.id]);
  select * into s from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.step_key = b.step_key for update;
  if s.status is distinct from 'in_progress' then
    raise exception 'Cannot follow a branch of step "%": it is not the current step', b.step_key using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || e.current_step_key || '"', '') || '.';
  end if;
  v_outcome := jsonb_build_object('branch_key', b.branch_key, 'branch_type', b.branch_type);

  if b.branch_type = 'fixed' then
    v_outcome := v_outcome || jsonb_build_object('response', b.response_text);
    if b.next_step_key is null or b.next_step_key = b.step_key then
      v_step := app.finish_step(e, b.step_key, 'completed', v_outcome, null);
      v_route := jsonb_build_object('moved', true, 'from', b.step_key, 'to', v_step -> 'next_step' ->> 'key',
                                    'direction', 'next', 'skipped', '[]'::jsonb,
                                    'workflow_completed', (v_step ->> 'workflow_completed')::boolean);
    else
      v_route := app.route_execution_step(e.id, b.step_key, b.next_step_key, v_outcome);
    end if;
  else
    v_action := public.execute_action(b.saved_action_key, e.id, v_params, choose_chat_branch.idempotency_key);
    select * into e from app.workflow_executions x where x.id = e.id;
    if coalesce((v_action ->> 'success')::boolean, false) and b.return_step_key is not null and app.is_open_status(e.status) then
      v_route := app.route_execution_step(e.id, b.step_key, b.return_step_key,
                   v_outcome || jsonb_build_object('action_key', b.saved_action_key,
                                                   'action_execution_id', v_action ->> 'action_execution_id'));
    else
      v_route := jsonb_build_object('moved', false, 'direction', 'stay', 'skipped', '[]'::jsonb);
    end if;
  end if;

  return jsonb_build_object(
    'branch', jsonb_build_object('key', b.branch_key, 'type', b.branch_type, 'label', b.label),
    'step_key', b.step_key,
    'response_text', b.response_text,
    'action', v_action,
    'route', v_route,
    'replayed', false,
    'execution', app.execution_summary(e.id));
end;
$$;
comment on function public.choose_chat_branch(uuid, text, text, jsonb, text) is
  'Follows a fixed or saved_action branch of the current step: fixed completes it and moves to next_step_key; saved_action runs the action (branch defaults || params) and returns to return_step_key.';
revoke execute on function public.choose_chat_branch(uuid, text, text, jsonb, text) from public, anon;
grant execute on function public.choose_chat_branch(uuid, text, text, jsonb, text) to authenticated;

-- ---------------------------------------------------------------------------------
-- complete_step: escalated is a hold
-- ---------------------------------------------------------------------------------
create or replace function public.complete_step(execution_id uuid, step_key text, outcome jsonb default '{}'::jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_result jsonb;
begin
  if coalesce(btrim(complete_step.step_key), '') = '' then
    raise exception 'step_key is required' using errcode = '22023';
  end if;
  if complete_step.outcome is not null and jsonb_typeof(complete_step.outcome) <> 'object' then
    raise exception 'outcome must be a JSON object' using errcode = '22023';
  end if;
  e := app.lock_execution(complete_step.execution_id, 'complete a step of');
  perform app.refuse_escalated_hold(e, 'complete a step of');
  if e.status <> 'in_progress' then
    raise exception 'Cannot complete step "%": the workflow is %', complete_step.step_key, app.status_words(e.status)
      using errcode = 'PT409',
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.'
                  else 'Closed workflows cannot change.' end;
  end if;
  v_result := app.finish_step(e, complete_step.step_key, 'completed', complete_step.outcome, null);
  return v_result || jsonb_build_object('execution', app.execution_summary(e.id));
end;
$$;
comment on function public.complete_step(uuid, text, jsonb) is
  'Completes the current step and starts the next; completing the last step completes the workflow. Refused while escalated.';
revoke execute on function public.complete_step(uuid, text, jsonb) from public, anon;
grant execute on function public.complete_step(uuid, text, jsonb) to authenticated;
