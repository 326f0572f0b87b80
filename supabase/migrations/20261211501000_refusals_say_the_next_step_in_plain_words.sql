-- Refusals say what to do next in plain words, and the core actions say what they do.
-- - A workflow's status in words (app.status_words) has no brackets of its own: a refusal that
--   puts it in brackets read "Cannot withdraw the escalation of this workflow: it is not
--   escalated (it is still in the queue (not started))". Now "… (it is still in the queue, not
--   started)"; "already completed, with tasks still open" likewise.
-- - A step, a branch, a skip or the workflow's completion refused because the workflow is not
--   in progress hints the real next step by one rule (app.not_in_progress_hint): start a queued
--   one, wake a snoozed one (the workflow page's Wake now; before, "Start the workflow first."
--   for it too, and for a skip of an escalated or closed one), the escalation's decision for an
--   escalated one, nothing for a closed one.
-- - The core send_email and schedule_meeting actions' descriptions are plain English: before,
--   "Queue an email from an email_draft artifact in the outbox" and "… create a
--   schedule_meeting task", which the dialogs showed as "… create a schedule meeting task".
-- Restated from their newest definitions, only the hint (and status_words' two phrases)
-- changed: status_words from 20261205064500_read_helpers_planned_once_per_session.sql,
-- lock_current_step_for_branch from 20261208501000_a_branchs_refusal_names_steps_by_their_titles.sql,
-- complete_step from 20261208603000_a_step_is_completed_and_a_branch_followed_once_per_request.sql,
-- complete_workflow from 20261208191000_complete_workflow_skips_through_the_one_close.sql,
-- action_skip from 20261206340000_an_actions_limits_are_checked_when_proposed.sql.

create or replace function app.status_words(status text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case status_words.status
    when 'queued' then 'still in the queue, not started'
    when 'in_progress' then 'already in progress'
    when 'snoozed' then 'snoozed'
    when 'escalated' then 'escalated'
    when 'completed' then 'already completed'
    when 'completed_with_pending_tasks' then 'already completed, with tasks still open'
    when 'skipped' then 'skipped'
    when 'superseded' then 'superseded by a later stage'
    when 'cancelled' then 'cancelled'
    else status_words.status
  end;
end;
$$;

-- What to do before working a workflow that is not in progress, as a refusal's hint.
create or replace function app.not_in_progress_hint(status text)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return case not_in_progress_hint.status
           when 'queued' then 'Start the workflow first.'
           when 'snoozed' then 'Wake the workflow first (Wake now), or wait until its snooze ends.'
           when 'escalated' then app.escalated_hint()
           else 'Closed workflows cannot change.' end;
end;
$$;
comment on function app.not_in_progress_hint(text) is
  'The next step for a workflow that is not in progress, as a refusal''s hint: start it (queued), wake it (snoozed), its escalation''s decision (escalated); a closed one cannot change.';
revoke execute on function app.not_in_progress_hint(text) from public, anon;
grant execute on function app.not_in_progress_hint(text) to authenticated, service_role;

create or replace function app.lock_current_step_for_branch(e app.workflow_executions, step_key text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  s app.workflow_step_executions;
begin
  perform app.refuse_escalated_hold(e, 'route');
  if e.status <> 'in_progress' then
    raise exception 'Cannot follow this branch: the workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = app.not_in_progress_hint(e.status);
  end if;
  perform app.create_step_rows(array[e.id]);
  select * into s from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.step_key = lock_current_step_for_branch.step_key for update;
  if s.status is distinct from 'in_progress' then
    -- Named by their titles, as the person sees them on the page.
    raise exception 'Cannot follow a branch of step "%": it is not the current step',
      coalesce(s.title, left(lock_current_step_for_branch.step_key, 60))
      using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || app.step_title(e.id, e.current_step_key) || '"', '') || '.';
  end if;
end;
$$;

create or replace function public.complete_step(execution_id uuid, step_key text, outcome jsonb default '{}'::jsonb,
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
      hint = app.not_in_progress_hint(e.status);
  end if;
  v_result := app.finish_step(e, complete_step.step_key, 'completed', complete_step.outcome, null);
  v_answer := v_result || jsonb_build_object('execution', app.execution_summary(e.id));
  perform app.remember_answer(complete_step.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;

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
      hint = app.not_in_progress_hint(e.status);
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

create or replace function app.action_skip(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_reasons jsonb := app.action_limits(a.action_type, a.config, e.org_id) -> 'reasons';
  v_reason text := params ->> 'reason';
begin
  if v_reason is null or not (v_reasons ? v_reason) then
    raise exception 'reason must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_reasons) r)
      using errcode = '22023';
  end if;
  if e.status <> 'in_progress' then
    raise exception 'Cannot skip a step: the workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = app.not_in_progress_hint(e.status);
  end if;
  return jsonb_build_object(
    'params', params,
    'result', app.finish_step(e, params ->> 'step_key', 'skipped',
                              jsonb_strip_nulls(jsonb_build_object('note', app.trimmed(params ->> 'note'), 'action_log_id', log_id)), v_reason),
    'side_effects', '[]'::jsonb);
end;
$$;

-- The core actions (org_id null) in plain English; an organisation's own copy keeps its words.
update app.saved_actions
   set description = 'Send the customer an email drafted in this workflow, through the outbox; when the organisation requires approval, it must be approved first.'
 where org_id is null and key = 'send_email'
   and description = 'Queue an email from an email_draft artifact in the outbox; it must be approved when the organisation requires approval.';
update app.saved_actions
   set description = 'Add a follow-up meeting to the workflow, with a task to hold it on the day.'
 where org_id is null and key = 'schedule_meeting'
   and description = 'Add a follow-up meeting to the workflow and create a schedule_meeting task.';
