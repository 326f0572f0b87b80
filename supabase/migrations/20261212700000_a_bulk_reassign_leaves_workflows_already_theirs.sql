-- A bulk Reassign over rows some of which the chosen person holds already leaves those as they
-- are and names them apart (already_theirs), rather than refusing them
-- (docs/escalation-loop.md "Many workflows at once").
--
-- What and why: reassign_workflows listed each workflow already with the new assignee among
-- `refused`, with reassign_workflow's 22023 'assignee_id is already the assignee of this
-- workflow', and the queue showed those words as an error for the batch. A manager handing a
-- mixed set to Sam expects the ones already Sam's to stay Sam's and be counted ("2 were already
-- Sam Senior's"): handing a workflow to its holder in a bulk call is nothing to do. The rule of
-- what is "already theirs" stays reassign_workflow's (it is asked, and its 22023 for its own
-- assignee, after every other check passed, is read as such); a single reassign_workflow still
-- refuses it (api.md's contract is unchanged). The answer gains already_theirs[] (execution
-- ids); the rest is as it was.
-- reassign_workflows restated whole from 20261211303000; the exception handler's branch and the
-- answer's new key are the changes.
-- supabase/tests/reassign_workflows/many_workflows_change_hands_with_one_notice_each.test.sql.

create or replace function public.reassign_workflows(execution_ids jsonb, assignee_id uuid, reason text, idempotency_key text default null)
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
  v_already jsonb := '[]'::jsonb;
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
      -- Passed every other check and is the person's already (reassign_workflow's 22023 for its
      -- own assignee): nothing to do, so it is named apart, not refused.
      if v_code = '22023' and v_previous = v_new.id then
        v_already := v_already || jsonb_build_array(v_id);
      else
        v_refused := v_refused || jsonb_build_array(jsonb_build_object('execution_id', v_id, 'code', v_code, 'message', v_message));
      end if;
    end;
  end loop;
  perform pg_catalog.set_config('renubu.hand_over_in_bulk', '', true);
  if (v_total ->> 'workflows')::integer > 0 then
    perform app.notify_bulk_reassignment(v_new.org_id, v_new, v_total, v_by_previous, v_reason);
  end if;
  v_answer := jsonb_build_object('assignee_id', v_new.id, 'assignee_name', v_new.full_name,
                                 'reassigned', v_reassigned, 'already_theirs', v_already, 'refused', v_refused,
                                 'handed_over', v_total);
  perform app.remember_answer(reassign_workflows.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
comment on function public.reassign_workflows(jsonb, uuid, text, text) is
  'Managers and admins: reassigns 1 to 200 workflows to one active CSM, manager or admin with a reason, each as reassign_workflow does; those the person holds already are left as they are and listed in already_theirs; the ones it refuses are listed with their code and words and change nothing. Returns {assignee_id, assignee_name, reassigned[], already_theirs[] (ids), refused[] {execution_id, code, message}, handed_over {workflows, tasks}}; each person concerned is told once.';
revoke execute on function public.reassign_workflows(jsonb, uuid, text, text) from public, anon;
grant execute on function public.reassign_workflows(jsonb, uuid, text, text) to authenticated;
