-- complete_step and a fixed answer of choose_chat_branch take an idempotency key, as the other
-- lifecycle calls do (migration 20261208100000), so a press whose answer was lost and that is
-- sent again answers what the first answered.
--
-- What and why: complete_step had no key, and choose_chat_branch's key served only a branch
-- that runs a saved action (the action's log replays it). A Complete step or a fixed answer
-- ("Yes, renewing as is") that committed but whose answer never reached the browser was
-- reported as failed; sent again it answered PT409 for the person's own first press ("it is
-- already completed", "it is not the current step"). Now the same key with the same request
-- answers what the first answered (a branch's answer says replayed: true) and changes nothing
-- more (no second step, history entry or route); the key with another request is PT409 "this
-- key was used for a different request" (app.answer_under_key / app.remember_answer). Without a
-- key each call behaves as before. The web app sends one per press (lib/pendingKeys.ts sendOnce).
-- Restated whole from their newest definitions: complete_step (20261208501000), a new
-- signature (the old one is dropped), choose_chat_branch (20261206250000), the key's use for
-- a fixed answer being the only change.
-- Tests: supabase/tests/complete_step/a_step_is_completed_once_per_key.test.sql,
-- supabase/tests/choose_chat_branch/a_fixed_answer_is_followed_once_per_key.test.sql.

drop function public.complete_step(uuid, text, jsonb);
create function public.complete_step(execution_id uuid, step_key text, outcome jsonb default '{}'::jsonb,
                                     idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_result jsonb;
  v_request jsonb;
  v_answer jsonb;
begin
  if coalesce(btrim(complete_step.step_key), '') = '' then
    raise exception 'step_key is required' using errcode = '22023';
  end if;
  if complete_step.outcome is not null and jsonb_typeof(complete_step.outcome) <> 'object' then
    raise exception 'outcome must be a JSON object' using errcode = '22023';
  end if;
  perform app.check_request_key(complete_step.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('call', 'complete_step', 'execution_id', complete_step.execution_id,
                                  'step_key', complete_step.step_key, 'outcome', complete_step.outcome);
  -- Completed already under this key (an answer lost on its way back): what it answered then.
  v_answer := app.answer_under_key(complete_step.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  e := app.lock_execution(complete_step.execution_id, 'complete a step of');
  -- …or by a call with this key at once, which this one waited for.
  v_answer := app.answer_under_key(complete_step.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  perform app.refuse_escalated_hold(e, 'complete a step of');
  if e.status <> 'in_progress' then
    raise exception 'Cannot complete step "%": the workflow is %',
      coalesce(app.step_title(e.id, complete_step.step_key), left(complete_step.step_key, 60)), app.status_words(e.status)
      using errcode = 'PT409',
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.'
                  else 'Closed workflows cannot change.' end;
  end if;
  v_result := app.finish_step(e, complete_step.step_key, 'completed', complete_step.outcome, null);
  v_answer := v_result || jsonb_build_object('execution', app.execution_summary(e.id));
  perform app.remember_answer(complete_step.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;

comment on function public.complete_step(uuid, text, jsonb, text) is
  'Completes the current step and starts the next; completing the last step completes the workflow. Refused while escalated. With an idempotency_key, the same request again answers what it answered; another request under the key is PT409.';
revoke execute on function public.complete_step(uuid, text, jsonb, text) from public, anon;
grant execute on function public.complete_step(uuid, text, jsonb, text) to authenticated;

create or replace function public.choose_chat_branch(execution_id uuid, step_key text, branch_key text, params jsonb default null, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  b app.workflow_chat_branches;
  v_params jsonb;
  v_outcome jsonb;
  v_action jsonb;
  v_followed record;  -- (action, route)
  v_request jsonb;
  v_answer jsonb;
begin
  if coalesce(btrim(choose_chat_branch.step_key), '') = '' or coalesce(btrim(choose_chat_branch.branch_key), '') = '' then
    raise exception 'step_key and branch_key are required' using errcode = '22023',
      hint = 'Pass the step shown and the key of the branch chosen (get_workflow_execution lists them).';
  end if;
  if choose_chat_branch.params is not null and jsonb_typeof(choose_chat_branch.params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  perform app.check_request_key(choose_chat_branch.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('call', 'choose_chat_branch', 'execution_id', choose_chat_branch.execution_id,
                                  'step_key', choose_chat_branch.step_key, 'branch_key', choose_chat_branch.branch_key,
                                  'params', choose_chat_branch.params);
  -- A fixed answer followed already under this key (an answer lost on its way back): what it
  -- answered then. (A saved action's is replayed from its log below.)
  v_answer := app.answer_under_key(choose_chat_branch.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer || jsonb_build_object('replayed', true);
  end if;
  e := app.lock_execution(choose_chat_branch.execution_id, 'work on');
  -- …or by a call with this key at once, which this one waited for.
  v_answer := app.answer_under_key(choose_chat_branch.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer || jsonb_build_object('replayed', true);
  end if;
  b := app.routing_branch(e, choose_chat_branch.step_key, choose_chat_branch.branch_key);
  -- A fixed answer routes and runs nothing: params sent with it would be dropped unread.
  if b.branch_type = 'fixed' and coalesce(choose_chat_branch.params, '{}'::jsonb) <> '{}'::jsonb then
    raise exception 'params are for a branch that runs a saved action; branch "%" is a fixed answer', b.branch_key
      using errcode = '22023', hint = 'Leave params out when following a fixed answer.';
  end if;
  v_params := app.branch_defaults_within_limits(b, e.org_id) || coalesce(choose_chat_branch.params, '{}'::jsonb);

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

  perform app.lock_current_step_for_branch(e, b.step_key);
  v_outcome := jsonb_build_object('branch_key', b.branch_key, 'branch_type', b.branch_type);
  if b.branch_type = 'fixed' then
    select null::jsonb as action, app.follow_fixed_branch(e, b, v_outcome) as route into v_followed;
  else
    select * into v_followed from app.follow_saved_action_branch(e, b, v_params, choose_chat_branch.idempotency_key, v_outcome);
  end if;

  v_answer := jsonb_build_object(
    'branch', jsonb_build_object('key', b.branch_key, 'type', b.branch_type, 'label', b.label),
    'step_key', b.step_key,
    'response_text', b.response_text,
    'action', v_followed.action,
    'route', v_followed.route,
    'replayed', false,
    'execution', app.execution_summary(e.id));
  -- A fixed answer's key keeps its answer; a saved action's key is the action's own (its log).
  if b.branch_type = 'fixed' then
    perform app.remember_answer(choose_chat_branch.idempotency_key, v_request, v_answer);
  end if;
  return v_answer;
end;
$$;

