-- A manager reassigns several workflows in one call, and each person concerned is told once
-- (docs/escalation-loop.md "Who may do what", "Notifications").
--
-- What and why: the queue's bulk Reassign sent one reassign_workflow per ticked workflow, so
-- ten workflows handed from Sam to Casey were ten "Assigned to you" notices for Casey (and one
-- "Task handed to you" per open task) and ten "Reassigned to Casey" for Sam, where a hand-over
-- (reassign_customer, hand_over_work) tells each person once. reassign_workflows(execution_ids,
-- assignee_id, reason, idempotency_key) reassigns them in one call:
-- - who may, the new assignee and the reason are checked once, as reassign_workflow checks
--   them (42501, 22023); at most 200 workflows, at least one (22023);
-- - each workflow is reassigned by reassign_workflow itself (one rule: the same checks, open
--   tasks following, an escalated one changing hands on hold), in a subtransaction: one it
--   refuses (PT404 not found or another organisation's, PT409 closed, 22023 already theirs)
--   changes nothing and is listed in `refused` with its code and words; the others go on;
-- - it takes its locks as a hand-over does (20261211100300): the organisation's hand-over turn,
--   then the workloads of every holder and of the new assignee in id order, so it never waits
--   crosswise with a hand-over or a reassignment; a workflow given to someone else before those
--   were held is refused (PT409 "reassigned while you were acting") rather than locked late;
-- - while it runs (app.handing_over_in_bulk) the per-item notices wait, and then the new
--   assignee gets one ("Handed to you: 3 workflows and 2 tasks", the reason as its text) and
--   each previous holder who can sign in one ("3 workflows and 2 tasks handed to Casey Junior");
-- - answers {assignee_id, assignee_name, reassigned[] (each workflow as reassign_workflow
--   answers it), refused[] {execution_id, code, message}, handed_over {workflows, tasks}};
--   under an idempotency_key the same request answers the same, nothing applied or told twice.
-- reassign_workflow (api.md's contract) is unchanged for one workflow; restated from
-- 20261211302000, it leaves its previous-holder notice to the bulk call while one runs.
-- supabase/tests/reassign_workflows/many_workflows_change_hands_with_one_notice_each.test.sql.

create or replace function public.reassign_workflow(execution_id uuid, assignee_id uuid, reason text, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_new app.profiles;
  v_reason text;
begin
  v_reason := app.required_text(reassign_workflow.reason, 'reason', 'to reassign a workflow');
  perform app.check_request_key(reassign_workflow.idempotency_key, 'idempotency_key', 200);
  -- A call with this key in flight first (a retry sent before its answer came): waited for
  -- here, so the workflow below is read as it left it, and the key is seen.
  perform app.lock_request_key(reassign_workflow.idempotency_key);
  -- Named before the workflow is looked up: a request without it names no one to find.
  perform app.require_given(reassign_workflow.assignee_id is not null, 'assignee_id', 'Pass the id of the person who takes the workflow over.');
  e := app.lock_execution_for_manager(reassign_workflow.execution_id, 'reassign', reassign_workflow.assignee_id);
  -- Reassigned already under this key (an answer lost on its way back): the workflow as it is
  -- now, if it is the same request.
  if e.reassign_request_key = reassign_workflow.idempotency_key then
    if e.assigned_to is distinct from reassign_workflow.assignee_id then
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Send a new idempotency_key for a new reassignment.';
    end if;
    return app.execution_summary(e.id);
  end if;
  v_new := app.require_assignable_person(e.org_id, reassign_workflow.assignee_id);
  -- Open, escalated included: the hold is on the work, not on who holds it. An escalated
  -- workflow stays escalated and its open escalation goes with it
  -- (app.executions_escalation_follows_assignee), as in a customer's or a person's hand-over.
  if not app.is_open_status(e.status) then
    raise exception 'Cannot reassign this workflow: it is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'Closed workflows cannot change.';
  end if;
  if v_new.id = e.assigned_to then
    raise exception 'assignee_id is already the assignee of this workflow' using errcode = '22023';
  end if;
  begin
    update app.workflow_executions x
       set assigned_to = v_new.id,
           reassign_request_key = coalesce(reassign_workflow.idempotency_key, x.reassign_request_key),
           metadata = app.with_history(x.metadata, jsonb_build_object('event', 'reassigned', 'reason', v_reason,
                        'from_assignee', e.assigned_to, 'to_assignee', v_new.id))
     where x.id = e.id;
  exception when unique_violation then
    -- The key reassigned another workflow of the organisation.
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key for a new reassignment.';
  end;
  -- Its open tasks followed it (app.hand_open_tasks_to_assignee, a trigger); the new assignee
  -- hears of it from the assignment trigger, the previous one here — unless many are reassigned
  -- at once (reassign_workflows), which tells each person once of all of it.
  if app.handing_over_in_bulk() then
    return app.execution_summary(e.id);
  end if;
  perform app.notify(e.org_id, e.assigned_to, 'workflow_assigned',
                     'Reassigned to ' || v_new.full_name || ': ' || app.execution_label(e), v_reason,
                     jsonb_build_object('execution_id', e.id, 'assignee_id', v_new.id, 'previous_assignee_id', e.assigned_to,
                                        'by', (select auth.uid())));
  return app.execution_summary(e.id);
end;
$$;

-- The one notice each person gets of a bulk reassignment: `taker` all that came (`total`),
-- each previous holder in `by_previous` ({holder id: {workflows, tasks}}) what went, when they
-- can still sign in.
create function app.notify_bulk_reassignment(org_id uuid, taker app.profiles, total jsonb, by_previous jsonb, reason text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_by uuid := (select auth.uid());
  v_previous text;
  v_counts jsonb;
begin
  perform app.notify(notify_bulk_reassignment.org_id, (notify_bulk_reassignment.taker).id, 'workflow_assigned',
                     'Handed to you: ' || app.hand_over_words(notify_bulk_reassignment.total), notify_bulk_reassignment.reason,
                     jsonb_build_object('hand_over', notify_bulk_reassignment.total,
                                        'assignee_id', (notify_bulk_reassignment.taker).id, 'by', v_by));
  for v_previous, v_counts in select k, v from jsonb_each(notify_bulk_reassignment.by_previous) as x(k, v) loop
    if app.can_take_work(notify_bulk_reassignment.org_id, v_previous::uuid) then
      perform app.notify(notify_bulk_reassignment.org_id, v_previous::uuid, 'workflow_assigned',
                         app.hand_over_words(v_counts) || ' handed to ' || (notify_bulk_reassignment.taker).full_name,
                         notify_bulk_reassignment.reason,
                         jsonb_build_object('hand_over', v_counts, 'assignee_id', (notify_bulk_reassignment.taker).id,
                                            'previous_assignee_id', v_previous::uuid, 'by', v_by));
    end if;
  end loop;
end;
$$;
revoke execute on function app.notify_bulk_reassignment(uuid, app.profiles, jsonb, jsonb, text) from public, anon;
grant execute on function app.notify_bulk_reassignment(uuid, app.profiles, jsonb, jsonb, text) to authenticated, service_role;

create function public.reassign_workflows(execution_ids jsonb, assignee_id uuid, reason text, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_ids uuid[];
  v_request jsonb;
  v_answer jsonb;
  v_reason text;
  v_new app.profiles;
  v_id uuid;
  v_previous uuid;
  v_tasks uuid[];
  v_moved integer;
  v_reassigned jsonb := '[]'::jsonb;
  v_refused jsonb := '[]'::jsonb;
  v_total jsonb := '{"workflows": 0, "tasks": 0}'::jsonb;
  v_by_previous jsonb := '{}'::jsonb;
  v_locked uuid[];
  v_code text;
  v_message text;
begin
  perform app.check_request_key(reassign_workflows.idempotency_key, 'idempotency_key', 200);
  -- A JSON list of ids, read here (docs/api-contract.md: no RPC takes a Postgres array).
  select coalesce(array_agg(distinct x order by x), '{}') into v_ids
    from unnest(app.json_id_list(reassign_workflows.execution_ids, 'execution_ids')) x where x is not null;
  v_request := jsonb_build_object('call', 'reassign_workflows', 'execution_ids', to_jsonb(v_ids),
                                  'assignee_id', reassign_workflows.assignee_id, 'reason', reassign_workflows.reason);
  -- Answered already under this key (an answer lost on its way back, or a call in flight, waited for).
  v_answer := app.answer_under_key(reassign_workflows.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  if coalesce(app.current_member_role(), '') not in ('manager', 'admin') then
    raise exception 'Only a manager or an admin may reassign workflows' using errcode = '42501', hint = 'Ask your manager.';
  end if;
  if cardinality(v_ids) = 0 or cardinality(v_ids) > 200 then
    raise exception 'execution_ids must name 1 to 200 workflows' using errcode = '22023',
      hint = 'Pass the ids of the workflows to reassign, at most 200 at once.';
  end if;
  perform app.require_given(reassign_workflows.assignee_id is not null, 'assignee_id', 'Pass the id of the person who takes the workflows over.');
  v_reason := app.required_text(reassign_workflows.reason, 'reason', 'to reassign a workflow');
  v_new := app.require_new_owner(app.current_org_id(), reassign_workflows.assignee_id);

  -- As a hand-over: the organisation's hand-over turn, then every holder's workload and the new
  -- assignee's in one order, before any workflow's row (docs/reliability.md).
  perform app.lock_hand_overs_of(v_new.org_id);
  select array_agg(x.id order by x.id) into v_locked
    from (select e.assigned_to as id from app.workflow_executions e where e.id = any (v_ids)
          union select v_new.id) x
   where x.id is not null;
  perform app.lock_assignee_workload(x) from unnest(v_locked) with ordinality as u(x, n) order by n;
  perform pg_catalog.set_config('renubu.hand_over_in_bulk', 'on', true);
  foreach v_id in array v_ids loop
    begin
      -- Its holder and the open tasks that will follow it (theirs), to say what went from whom.
      select e.assigned_to into v_previous from app.workflow_executions e where e.id = v_id;
      -- Given to someone else before the locks were held: their workload is not held, and taking
      -- it now would be out of order; as reassign_workflow answers work moved while it waited.
      if v_previous is not null and v_previous <> all (v_locked) then
        raise exception 'This workflow was reassigned while you were acting' using errcode = 'PT409',
          hint = 'Reload the queue and try again.';
      end if;
      select coalesce(array_agg(t.id), '{}') into v_tasks from app.workflow_tasks t
       where t.execution_id = v_id and t.assigned_to = v_previous and t.status in ('pending', 'in_progress', 'snoozed');
      v_reassigned := v_reassigned || jsonb_build_array(public.reassign_workflow(v_id, v_new.id, v_reason, null));
      select count(*)::integer into v_moved from app.workflow_tasks t where t.id = any (v_tasks) and t.assigned_to = v_new.id;
      v_total := jsonb_build_object('workflows', (v_total ->> 'workflows')::integer + 1, 'tasks', (v_total ->> 'tasks')::integer + v_moved);
      if v_previous is not null then
        v_by_previous := v_by_previous || jsonb_build_object(v_previous::text, jsonb_build_object(
          'workflows', coalesce((v_by_previous -> v_previous::text ->> 'workflows')::integer, 0) + 1,
          'tasks', coalesce((v_by_previous -> v_previous::text ->> 'tasks')::integer, 0) + v_moved));
      end if;
    exception when sqlstate 'PT404' or sqlstate 'PT409' or sqlstate '22023' or sqlstate '42501' then
      -- Refused as reassign_workflow refuses it alone; nothing of it changed (the subtransaction).
      get stacked diagnostics v_code = returned_sqlstate, v_message = message_text;
      v_refused := v_refused || jsonb_build_array(jsonb_build_object('execution_id', v_id, 'code', v_code, 'message', v_message));
    end;
  end loop;
  perform pg_catalog.set_config('renubu.hand_over_in_bulk', '', true);
  if (v_total ->> 'workflows')::integer > 0 then
    perform app.notify_bulk_reassignment(v_new.org_id, v_new, v_total, v_by_previous, v_reason);
  end if;
  v_answer := jsonb_build_object('assignee_id', v_new.id, 'assignee_name', v_new.full_name,
                                 'reassigned', v_reassigned, 'refused', v_refused, 'handed_over', v_total);
  perform app.remember_answer(reassign_workflows.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
comment on function public.reassign_workflows(jsonb, uuid, text, text) is
  'Managers and admins: reassigns 1 to 200 workflows to one active CSM, manager or admin with a reason, each as reassign_workflow does; the ones it refuses are listed with their code and words and change nothing. Returns {assignee_id, assignee_name, reassigned[], refused[] {execution_id, code, message}, handed_over {workflows, tasks}}; each person concerned is told once.';
revoke execute on function public.reassign_workflows(jsonb, uuid, text, text) from public, anon;
grant execute on function public.reassign_workflows(jsonb, uuid, text, text) to authenticated;
