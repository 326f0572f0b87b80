-- complete_workflow closes a workflow none of whose steps was done through app.skip_execution
-- (20261208500000), the close finish_step uses, instead of a copy of its UPDATE.
--
-- What and why: "Honest completion" (docs/escalation-loop.md) closes a workflow where nothing
-- was done as skipped. Two migrations of one night wrote that close: 20261208500000 as
-- app.skip_execution for the last step skipped, 20261208100000 inside complete_workflow when
-- skip_remaining skips what is left. The two UPDATEs were the same but for the history
-- entry's `how`, which complete_workflow's lacked; now both go through the one function, and
-- the entry says how ('complete_workflow'). Restated whole from
-- 20261208100000_lifecycle_calls_are_applied_once_per_request.sql; that close is the one change.
-- supabase/tests/complete_workflow/steps_left_are_skipped_only_on_purpose.test.sql.

create or replace function public.complete_workflow(
  execution_id uuid,
  outcome jsonb default '{}'::jsonb,
  skip_remaining boolean default false,
  reason text default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_left text[];
  v_reason text;
  v_done integer;
  v_skipped integer;
  v_request jsonb;
  v_answer jsonb;
begin
  if complete_workflow.outcome is not null and jsonb_typeof(complete_workflow.outcome) <> 'object' then
    raise exception 'outcome must be a JSON object' using errcode = '22023';
  end if;
  perform app.check_request_key(complete_workflow.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('call', 'complete_workflow', 'execution_id', complete_workflow.execution_id,
                                  'outcome', complete_workflow.outcome, 'skip_remaining', complete_workflow.skip_remaining,
                                  'reason', complete_workflow.reason);
  -- Completed already under this key (an answer lost on its way back): what it answered then.
  v_answer := app.answer_under_key(complete_workflow.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  e := app.lock_execution(complete_workflow.execution_id, 'complete');
  -- …or by a call with this key at once, which this one waited for.
  v_answer := app.answer_under_key(complete_workflow.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  if e.status <> 'in_progress' then
    raise exception 'Cannot complete this workflow: it is %',
      case when e.status = 'escalated' then 'escalated and waits for a decision' else app.status_words(e.status) end
      using errcode = 'PT409',
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.'
                  when e.status = 'escalated' then app.escalated_hint()
                  else 'Closed workflows cannot change.' end;
  end if;
  perform app.create_step_rows(array[e.id]);
  select coalesce(array_agg(s.step_key order by s.step_index), '{}') into v_left
    from app.workflow_step_executions s
   where s.execution_id = e.id and s.org_id = e.org_id and s.status in ('pending', 'in_progress');
  if cardinality(v_left) > 0 then
    if not coalesce(complete_workflow.skip_remaining, false) then
      raise exception 'Cannot complete this workflow: % of its steps % not done', cardinality(v_left),
        case when cardinality(v_left) = 1 then 'is' else 'are' end
        using errcode = 'PT409', detail = cardinality(v_left)::text,
        hint = 'Finish them, or pass skip_remaining: true with a reason to mark them skipped.';
    end if;
    v_reason := app.required_text(complete_workflow.reason, 'reason', 'to skip the steps that are not done');
    update app.workflow_step_executions s
       set status = 'skipped', skip_reason = v_reason, completed_at = now()
     where s.execution_id = e.id and s.org_id = e.org_id and s.status in ('pending', 'in_progress');
    update app.workflow_executions x
       set metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'steps_skipped', 'reason', v_reason, 'step_keys', to_jsonb(v_left)))
     where x.id = e.id;
  end if;

  select count(*) filter (where s.status = 'completed'), count(*) filter (where s.status = 'skipped')
    into v_done, v_skipped
    from app.workflow_step_executions s where s.execution_id = e.id and s.org_id = e.org_id;
  if v_done = 0 and v_skipped > 0 then
    -- Nothing was done: the workflow was skipped, not completed (the one rule's close).
    perform app.skip_execution(e.id, complete_workflow.outcome, v_reason, 'complete_workflow');
  else
    perform app.complete_execution(e.id, complete_workflow.outcome, 'complete_workflow');
  end if;
  v_answer := app.execution_summary(e.id) || jsonb_build_object(
    'steps_done', v_done, 'steps_skipped', v_skipped, 'skipped_now', to_jsonb(v_left));
  perform app.remember_answer(complete_workflow.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
comment on function public.complete_workflow(uuid, jsonb, boolean, text, text) is
  'in_progress -> completed (or completed_with_pending_tasks); steps not done need skip_remaining and a reason and become skipped; with nothing done the workflow is skipped. With an idempotency_key, the same request again answers what it answered; another request under the key is PT409.';
