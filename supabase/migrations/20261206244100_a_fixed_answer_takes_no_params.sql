-- A fixed answer of a chat branch takes no params: params sent with it are refused, not
-- dropped (docs/branches-and-proposals.md, docs/api-contract.md "Every RPC checks its
-- arguments").
--
-- What and why: choose_chat_branch passes params only to a branch that runs a saved action.
-- Sent with a fixed answer (a branch that completes the step and routes), they were read by
-- nobody and the call answered 200: `{"reason": "Customer asked"}` or `{"days": 3}` sent with
-- "Everything is with the signer" left no trace, though the caller meant something by them.
-- As decide_proposal refuses params with a rejection, choose_chat_branch now refuses
-- non-empty params with a fixed answer: 22023 naming the branch, before anything is routed.
-- No params, null or {} go on as before.
--
-- Restated whole from 20261206206000; the check is the only change.
-- supabase/tests/choose_chat_branch/a_fixed_answer_takes_no_params.test.sql.

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
begin
  if coalesce(btrim(choose_chat_branch.step_key), '') = '' or coalesce(btrim(choose_chat_branch.branch_key), '') = '' then
    raise exception 'step_key and branch_key are required' using errcode = '22023',
      hint = 'Pass the step shown and the key of the branch chosen (get_workflow_execution lists them).';
  end if;
  if choose_chat_branch.params is not null and jsonb_typeof(choose_chat_branch.params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  e := app.lock_execution(choose_chat_branch.execution_id, 'work on');
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

  return jsonb_build_object(
    'branch', jsonb_build_object('key', b.branch_key, 'type', b.branch_type, 'label', b.label),
    'step_key', b.step_key,
    'response_text', b.response_text,
    'action', v_followed.action,
    'route', v_followed.route,
    'replayed', false,
    'execution', app.execution_summary(e.id));
end;
$$;

