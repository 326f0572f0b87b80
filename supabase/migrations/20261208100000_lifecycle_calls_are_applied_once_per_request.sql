-- cancel_workflow, complete_workflow, wake_workflow, withdraw_escalation, resolve_escalation
-- and act_on_task take an idempotency key, so a call whose answer was lost (the connection
-- dropped, a timeout) and that is sent again answers what the first answered.
--
-- What and why: these calls had no key. One that committed but whose answer never reached
-- the browser was reported as failed; sent again it answered PT409 for the person's own
-- first call ("Cannot cancel this workflow: it is cancelled", "it is not snoozed", "no open
-- escalation", "Cannot complete this task: it is already completed"). Now, as
-- record_renewal_outcome (20261207707000) and the others of docs/api-contract.md: the same key
-- with the same request answers what the first answered and changes nothing more (no second
-- history entry, notification or escalation decision); the key with another request (another
-- workflow or task, another reason, another call) is PT409 "this key was used for a different
-- request". Without a key each call behaves as before.
--
-- - app.answered_requests: what a person's call under a key asked (the call's name and its
--   arguments as sent) and answered, unique per person and key. People reach it only through
--   app.answer_under_key (the caller's own answer, or PT409) and app.remember_answer.
-- - Each call checks its arguments and the key (app.check_request_key) first, then looks the
--   key up: before anything is locked (a retry after the first committed, even when the first
--   took the work out of the caller's hands), and again once its row is locked (a call with
--   the key at once, which this one waited for). Two calls with one key for different rows at
--   once: the second's remember_answer meets the first's row and is PT409, undoing it all.
-- Each function is restated whole from its newest definition (cancel_workflow,
-- complete_workflow, wake_workflow, withdraw_escalation and resolve_escalation from
-- 20261204000500_workflows_and_steps.sql, act_on_task from
-- 20261206204000_task_params_named_and_typed.sql); the key is the only change.
-- Tests: supabase/tests/{cancel_workflow,complete_workflow,wake_workflow,withdraw_escalation,
-- resolve_escalation,tasks}/*_once_per_key.test.sql.

create table app.answered_requests (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  made_by uuid not null,
  request_key text not null,
  request jsonb not null,
  answer jsonb not null,
  created_at timestamptz not null default now(),
  constraint answered_requests_maker_is_in_organisation foreign key (made_by, org_id)
    references app.profiles (id, org_id) on delete cascade,
  constraint answered_requests_key_is_unique_per_person unique (made_by, org_id, request_key)
);
create index answered_requests_org_id_idx on app.answered_requests (org_id);
alter table app.answered_requests enable row level security;
revoke all on table app.answered_requests from public, anon, authenticated;
grant all on table app.answered_requests to service_role;
comment on table app.answered_requests is
  'What a person''s lifecycle call (cancel_workflow, complete_workflow, wake_workflow, withdraw_escalation, resolve_escalation, act_on_task) asked and answered under an idempotency key; read and written only through app.answer_under_key and app.remember_answer.';
comment on column app.answered_requests.request is 'The call''s name and its arguments as sent.';
comment on column app.answered_requests.answer is 'What the call answered, answered again to the same request under the key.';

-- The answer the caller's call under `key` gave: null when there is none (or no key, or no
-- signed-in person), PT409 when the key was used for another request.
create function app.answer_under_key(key text, request jsonb)
returns jsonb
language plpgsql
stable
security definer -- reads the caller's own row of app.answered_requests, which people cannot read
set search_path = ''
as $$
declare
  v_made app.answered_requests;
begin
  if answer_under_key.key is null then
    return null;
  end if;
  select * into v_made from app.answered_requests a
   where a.made_by = (select auth.uid()) and a.org_id = (select app.current_org_id())
     and a.request_key = answer_under_key.key;
  if not found then
    return null;
  end if;
  if v_made.request is distinct from answer_under_key.request then
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key for a new request.';
  end if;
  return v_made.answer;
end;
$$;
revoke execute on function app.answer_under_key(text, jsonb) from public, anon;
grant execute on function app.answer_under_key(text, jsonb) to authenticated, service_role;

-- Keeps what the caller's call under `key` asked and answered (nothing without a key or a
-- signed-in person). The key already kept for another request (a call with it at once, for
-- another row) is PT409, which undoes the call.
create function app.remember_answer(key text, request jsonb, answer jsonb)
returns void
language plpgsql
security definer -- writes the caller's own row of app.answered_requests, which people cannot write
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := (select app.current_org_id());
begin
  if remember_answer.key is null or v_me is null or v_org is null then
    return;
  end if;
  insert into app.answered_requests (org_id, made_by, request_key, request, answer)
  values (v_org, v_me, remember_answer.key, remember_answer.request, remember_answer.answer);
exception when unique_violation then
  raise exception 'this key was used for a different request' using errcode = 'PT409',
    hint = 'Send a new idempotency_key for a new request.';
end;
$$;
revoke execute on function app.remember_answer(text, jsonb, jsonb) from public, anon;
grant execute on function app.remember_answer(text, jsonb, jsonb) to authenticated, service_role;

---------------------------------------------------------------------------------------
-- cancel_workflow
---------------------------------------------------------------------------------------
drop function public.cancel_workflow(uuid, text);
create function public.cancel_workflow(execution_id uuid, reason text, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_reason text;
  v_request jsonb;
  v_answer jsonb;
begin
  v_reason := app.required_text(cancel_workflow.reason, 'reason', 'to cancel a workflow');
  perform app.check_request_key(cancel_workflow.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('call', 'cancel_workflow', 'execution_id', cancel_workflow.execution_id,
                                  'reason', cancel_workflow.reason);
  -- Cancelled already under this key (an answer lost on its way back): what it answered then.
  v_answer := app.answer_under_key(cancel_workflow.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  e := app.lock_execution(cancel_workflow.execution_id, 'cancel');
  -- …or by a call with this key at once, which this one waited for.
  v_answer := app.answer_under_key(cancel_workflow.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  if e.status not in ('queued', 'in_progress', 'snoozed') then
    raise exception 'Cannot cancel this workflow: it is %', app.status_words(e.status) using errcode = 'PT409',
      hint = case when e.status = 'escalated' then 'Withdraw the escalation first, or ask a manager to close it.'
                  else 'Closed workflows cannot change.' end;
  end if;
  update app.workflow_executions x
     set status = 'cancelled',
         snoozed_until = null,
         outcome = coalesce(x.outcome, '{}'::jsonb) || jsonb_build_object('cancelled', true, 'reason', v_reason),
         metadata = app.with_history(x.metadata, jsonb_build_object('event', 'cancelled', 'reason', v_reason,
                      'from_status', e.status))
   where x.id = e.id;
  perform app.notify(e.org_id, e.assigned_to, 'system', 'Cancelled: ' || app.execution_label(e), v_reason,
                     jsonb_build_object('execution_id', e.id, 'event', 'cancelled', 'by', (select auth.uid())));
  v_answer := app.execution_summary(e.id);
  perform app.remember_answer(cancel_workflow.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
comment on function public.cancel_workflow(uuid, text, text) is
  'queued, in_progress or snoozed -> cancelled with a reason (its CSM, a manager or an admin). With an idempotency_key, the same cancel again answers what it answered; another request under the key is PT409.';
revoke execute on function public.cancel_workflow(uuid, text, text) from public, anon;
grant execute on function public.cancel_workflow(uuid, text, text) to authenticated;

---------------------------------------------------------------------------------------
-- complete_workflow
---------------------------------------------------------------------------------------
drop function public.complete_workflow(uuid, jsonb, boolean, text);
create function public.complete_workflow(
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
  v_pending boolean;
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
    -- Nothing was done: the workflow was skipped, not completed.
    select exists (select 1 from app.workflow_tasks t
                    where t.execution_id = e.id and t.status in ('pending', 'in_progress', 'snoozed'))
      into v_pending;
    update app.workflow_executions x
       set status = 'skipped',
           completed_at = now(),
           snoozed_until = null,
           current_step_key = null,
           current_step_index = null,
           completed_steps = x.total_steps,
           outcome = coalesce(complete_workflow.outcome, '{}'::jsonb) || jsonb_build_object('skip_reason', v_reason),
           metadata = app.with_history(x.metadata, jsonb_build_object('event', 'skipped', 'reason', v_reason,
                        'pending_tasks', v_pending))
     where x.id = e.id;
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
revoke execute on function public.complete_workflow(uuid, jsonb, boolean, text, text) from public, anon;
grant execute on function public.complete_workflow(uuid, jsonb, boolean, text, text) to authenticated;

---------------------------------------------------------------------------------------
-- wake_workflow
---------------------------------------------------------------------------------------
drop function public.wake_workflow(uuid);
create function public.wake_workflow(execution_id uuid, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_request jsonb;
  v_answer jsonb;
begin
  perform app.check_request_key(wake_workflow.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('call', 'wake_workflow', 'execution_id', wake_workflow.execution_id);
  -- Woken already under this key (an answer lost on its way back): what it answered then.
  v_answer := app.answer_under_key(wake_workflow.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  e := app.lock_execution(wake_workflow.execution_id, 'wake');
  -- …or by a call with this key at once, which this one waited for.
  v_answer := app.answer_under_key(wake_workflow.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  if e.status <> 'snoozed' then
    raise exception 'Cannot wake this workflow: it is not snoozed (it is %)', app.status_words(e.status)
      using errcode = 'PT409', hint = 'Only a snoozed workflow can be woken.';
  end if;
  update app.workflow_executions x
     set status = case when x.started_at is null then 'queued' else 'in_progress' end,
         snoozed_until = null,
         metadata = app.with_history(x.metadata, jsonb_build_object('event', 'woken', 'early', true,
                      'snoozed_until', e.snoozed_until))
   where x.id = e.id;
  v_answer := app.execution_summary(e.id);
  perform app.remember_answer(wake_workflow.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
comment on function public.wake_workflow(uuid, text) is
  'Ends a snooze early (its assignee, a manager or an admin): back to queued or in_progress. With an idempotency_key, the same wake again answers what it answered; another request under the key is PT409.';
revoke execute on function public.wake_workflow(uuid, text) from public, anon;
grant execute on function public.wake_workflow(uuid, text) to authenticated;

---------------------------------------------------------------------------------------
-- withdraw_escalation
---------------------------------------------------------------------------------------
drop function public.withdraw_escalation(uuid, text);
create function public.withdraw_escalation(execution_id uuid, reason text, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  e app.workflow_executions;
  esc app.workflow_escalations;
  v_reason text;
  v_status text;
  v_until timestamptz;
  v_request jsonb;
  v_answer jsonb;
begin
  v_reason := app.required_text(withdraw_escalation.reason, 'reason', 'to withdraw an escalation');
  perform app.check_request_key(withdraw_escalation.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('call', 'withdraw_escalation', 'execution_id', withdraw_escalation.execution_id,
                                  'reason', withdraw_escalation.reason);
  -- Withdrawn already under this key (an answer lost on its way back): what it answered then.
  v_answer := app.answer_under_key(withdraw_escalation.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  e := app.lock_execution(withdraw_escalation.execution_id, 'withdraw the escalation of');
  -- …or by a call with this key at once, which this one waited for.
  v_answer := app.answer_under_key(withdraw_escalation.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  esc := app.lock_open_escalation(e, 'withdraw the escalation of');
  if v_me is distinct from e.assigned_to and v_me is distinct from esc.escalated_by then
    raise exception 'Only its assignee can withdraw an escalation' using errcode = '42501',
      hint = 'As a manager, decide it with resolve_escalation (return, reassign or close).';
  end if;
  select x.status, x.snoozed_until into v_status, v_until from app.status_after_escalation(e, esc) x;
  update app.workflow_escalations x
     set status = 'withdrawn', resolved_by = v_me, resolved_at = now(), resolution_note = v_reason
   where x.id = esc.id;
  update app.workflow_executions x
     set status = v_status,
         snoozed_until = v_until,
         metadata = app.with_history(x.metadata, jsonb_build_object('event', 'escalation_withdrawn',
                      'escalation_id', esc.id, 'reason', v_reason, 'to_status', v_status))
   where x.id = e.id;
  perform app.notify(e.org_id, esc.manager_id, 'escalation_resolved', 'Escalation withdrawn: ' || app.execution_label(e),
                     v_reason, jsonb_build_object('execution_id', e.id, 'escalation_id', esc.id, 'decision', 'withdrawn',
                                                  'by', v_me));
  v_answer := app.execution_summary(e.id) || jsonb_build_object('escalation_id', esc.id, 'escalation_status', 'withdrawn');
  perform app.remember_answer(withdraw_escalation.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
comment on function public.withdraw_escalation(uuid, text, text) is
  'Its assignee takes an escalation back with a reason: the workflow returns to the status it had; the manager is notified. With an idempotency_key, the same withdrawal again answers what it answered; another request under the key is PT409.';
revoke execute on function public.withdraw_escalation(uuid, text, text) from public, anon;
grant execute on function public.withdraw_escalation(uuid, text, text) to authenticated;

---------------------------------------------------------------------------------------
-- resolve_escalation
---------------------------------------------------------------------------------------
drop function public.resolve_escalation(uuid, text, text, uuid);
create function public.resolve_escalation(execution_id uuid, decision text, note text, assignee_id uuid default null,
                                          idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  esc app.workflow_escalations;
  v_note text;
  v_new app.profiles;
  v_esc_status text := case resolve_escalation.decision
                         when 'return' then 'returned' when 'reassign' then 'reassigned' else 'closed' end;
  v_request jsonb;
  v_answer jsonb;
begin
  if resolve_escalation.decision is null or resolve_escalation.decision not in ('return', 'reassign', 'close') then
    raise exception 'decision must be one of: return, reassign, close' using errcode = '22023';
  end if;
  v_note := app.required_text(resolve_escalation.note, 'note',
    case resolve_escalation.decision when 'return' then 'to return an escalation (guidance for the assignee)'
                                     when 'reassign' then 'to reassign an escalated workflow'
                                     else 'to close an escalated workflow (the reason)' end);
  if resolve_escalation.decision <> 'reassign' and resolve_escalation.assignee_id is not null then
    raise exception 'assignee_id is only for the decision reassign' using errcode = '22023';
  end if;
  perform app.check_request_key(resolve_escalation.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('call', 'resolve_escalation', 'execution_id', resolve_escalation.execution_id,
                                  'decision', resolve_escalation.decision, 'note', resolve_escalation.note,
                                  'assignee_id', resolve_escalation.assignee_id);
  -- Decided already under this key (an answer lost on its way back): what it answered then.
  v_answer := app.answer_under_key(resolve_escalation.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  e := app.lock_execution_for_manager(resolve_escalation.execution_id, 'resolve the escalation of', resolve_escalation.assignee_id);
  -- …or by a call with this key at once, which this one waited for.
  v_answer := app.answer_under_key(resolve_escalation.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  esc := app.lock_open_escalation(e, 'resolve the escalation of');
  if resolve_escalation.decision = 'reassign' then
    v_new := app.escalation_new_assignee(e, resolve_escalation.assignee_id);
  end if;

  update app.workflow_escalations x
     set status = v_esc_status, resolved_by = (select auth.uid()), resolved_at = now(), resolution_note = v_note,
         reassigned_to = v_new.id
   where x.id = esc.id;
  perform app.resolve_escalated_execution(e, esc, resolve_escalation.decision, v_note, v_new.id);
  if v_new.id is not null then
    -- Open tasks of this workflow follow it to its new assignee.
    update app.workflow_tasks t set assigned_to = v_new.id
     where t.execution_id = e.id and t.org_id = e.org_id and t.assigned_to = e.assigned_to
       and t.status in ('pending', 'in_progress', 'snoozed');
  end if;
  perform app.notify_escalation_decision(e, esc, resolve_escalation.decision, v_note, v_new);
  v_answer := app.execution_summary(e.id) || jsonb_build_object('escalation_id', esc.id, 'escalation_status', v_esc_status,
                                                                'decision', resolve_escalation.decision);
  perform app.remember_answer(resolve_escalation.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
comment on function public.resolve_escalation(uuid, text, text, uuid, text) is
  'Managers and admins decide an open escalation: return (with guidance), reassign (assignee_id) or close (cancelled); the assignee is notified. With an idempotency_key, the same decision again answers what it answered; another request under the key is PT409.';
revoke execute on function public.resolve_escalation(uuid, text, text, uuid, text) from public, anon;
grant execute on function public.resolve_escalation(uuid, text, text, uuid, text) to authenticated;

---------------------------------------------------------------------------------------
-- act_on_task
---------------------------------------------------------------------------------------
drop function public.act_on_task(uuid, text, jsonb);
create function public.act_on_task(task_id uuid, action text, params jsonb default '{}'::jsonb,
                                   idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_params jsonb := coalesce(act_on_task.params, '{}'::jsonb);
  t app.workflow_tasks;
  v_request jsonb;
  v_answer jsonb;
begin
  if act_on_task.action is null or act_on_task.action not in ('start', 'complete', 'skip', 'snooze', 'reassign') then
    raise exception 'action must be one of: start, complete, skip, snooze, reassign' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  perform app.require_params_of(v_params, case act_on_task.action
      when 'skip' then array['reason'] when 'snooze' then array['until']
      when 'reassign' then array['assignee_id', 'reason'] else array[]::text[] end,
    format('a task''s %s', act_on_task.action));
  perform app.require_text_params(v_params, array['reason', 'until', 'assignee_id'], 'params');
  perform app.check_request_key(act_on_task.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('call', 'act_on_task', 'task_id', act_on_task.task_id, 'action', act_on_task.action,
                                  'params', v_params);
  -- Done already under this key (an answer lost on its way back; the task may be another's
  -- since): what it answered then.
  v_answer := app.answer_under_key(act_on_task.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  t := app.lock_task(act_on_task.task_id, act_on_task.action);
  -- …or by a call with this key at once, which this one waited for.
  v_answer := app.answer_under_key(act_on_task.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  if t.status not in ('pending', 'in_progress', 'snoozed') then
    raise exception 'Cannot % this task: it is already %', act_on_task.action, t.status using errcode = 'PT409',
      hint = 'Only pending, in-progress or snoozed tasks can change.';
  end if;
  t := case act_on_task.action
         when 'start' then app.task_start(t)
         when 'complete' then app.task_complete(t)
         when 'skip' then app.task_skip(t, v_params)
         when 'snooze' then app.task_snooze(t, v_params)
         else app.task_reassign(t, v_params)
       end;
  v_answer := app.task_json(t, app.organisation_today(t.org_id));
  perform app.remember_answer(act_on_task.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
comment on function public.act_on_task(uuid, text, jsonb, text) is
  'start, complete, skip {reason}, snooze {until} (7-day window from the first snooze), reassign {assignee_id, reason}. With an idempotency_key, the same request again answers what it answered; another request under the key is PT409.';
revoke execute on function public.act_on_task(uuid, text, jsonb, text) from public, anon;
grant execute on function public.act_on_task(uuid, text, jsonb, text) to authenticated;
