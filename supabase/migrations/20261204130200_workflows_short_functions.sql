-- Workflows: long functions of the workflows area made short (issue 17, point 3).
--
-- What: each long function becomes a guard/dispatcher over small functions with one job
-- each, named after what they do (for a jsonb answer: one function per section). Why: a
-- reader can hold each piece in their head. The answers and the errors (codes, messages,
-- hints) are unchanged; so are the signatures, security, volatility, grants and comments
-- of the functions redefined here. The helpers live in `app`, set search_path = '', run
-- as the caller (RLS applies as before) and are executable only by the callers' roles.
-- Nothing here is on the orchestrator's path or a trigger of workflow_executions.


---------------------------------------------------------------------------------------
-- public.get_workflow_execution: the execution's own fields, then one function per list
-- (steps with their branches, threads, artifacts, tasks, actions, meetings).
---------------------------------------------------------------------------------------

-- The steps of the execution's version, each with its progress and its chat branches.
create or replace function app.execution_steps_json(e app.workflow_executions, v app.workflow_versions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'key', cs.step ->> 'key',
           'title', coalesce(se.title, cs.step ->> 'title'),
           'type', coalesce(se.step_type, cs.step ->> 'type'),
           'index', cs.ord - 1,
           'status', coalesce(se.status, 'pending'),
           'started_at', se.started_at,
           'completed_at', se.completed_at,
           'skip_reason', se.skip_reason,
           'outcome', coalesce(se.outcome, '{}'::jsonb),
           'artifact_types', coalesce(cs.step -> 'artifact_types', '[]'::jsonb),
           'branches', coalesce((
             select jsonb_agg(jsonb_build_object(
                      'key', b.branch_key, 'label', b.label, 'type', b.branch_type,
                      'response_text', b.response_text, 'next_step_key', b.next_step_key,
                      'allow_off_script', b.allow_off_script, 'saved_action_key', b.saved_action_key,
                      'return_step_key', b.return_step_key, 'config', b.config) order by b.position, b.branch_key)
               from app.workflow_chat_branches b
              where b.workflow_version_id = v.id and b.step_key = cs.step ->> 'key'), '[]'::jsonb)
         ) order by cs.ord), '[]'::jsonb)
    from jsonb_array_elements(v.config -> 'steps') with ordinality as cs(step, ord)
    left join app.workflow_step_executions se
      on se.execution_id = e.id and se.org_id = e.org_id and se.step_key = cs.step ->> 'key'
$$;
revoke execute on function app.execution_steps_json(app.workflow_executions, app.workflow_versions) from public, anon;
grant execute on function app.execution_steps_json(app.workflow_executions, app.workflow_versions) to authenticated;

-- The execution's chat threads, oldest first.
create or replace function app.execution_threads_json(e app.workflow_executions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', t.id, 'step_key', t.step_key, 'thread_type', t.thread_type, 'status', t.status,
           'title', t.title, 'message_count', t.message_count, 'tokens_in', t.tokens_in,
           'tokens_out', t.tokens_out, 'started_at', t.started_at, 'completed_at', t.completed_at)
         order by t.created_at), '[]'::jsonb)
    from app.workflow_chat_threads t where t.execution_id = e.id and t.org_id = e.org_id
$$;
revoke execute on function app.execution_threads_json(app.workflow_executions) from public, anon;
grant execute on function app.execution_threads_json(app.workflow_executions) to authenticated;

-- The execution's artifacts, newest first, with who approved, when sent and which model drafted.
create or replace function app.execution_artifacts_json(e app.workflow_executions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', a.id, 'artifact_type', a.artifact_type, 'title', a.title, 'content', a.content,
           'version', a.version, 'step_key', a.step_key, 'task_id', a.task_id, 'thread_id', a.thread_id,
           'generated_by', a.generated_by, 'ai_model', a.ai_model,
           'approved_by', a.approved_by, 'approved_at', a.approved_at, 'sent_at', a.sent_at,
           'created_at', a.created_at, 'updated_at', a.updated_at)
         order by a.created_at desc), '[]'::jsonb)
    from app.workflow_task_artifacts a where a.execution_id = e.id and a.org_id = e.org_id
$$;
revoke execute on function app.execution_artifacts_json(app.workflow_executions) from public, anon;
grant execute on function app.execution_artifacts_json(app.workflow_executions) to authenticated;

-- The execution's tasks, oldest first.
create or replace function app.execution_tasks_json(e app.workflow_executions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', k.id, 'title', k.title, 'task_type', k.task_type, 'priority', k.priority,
           'status', k.status, 'assigned_to', k.assigned_to, 'due_date', k.due_date,
           'snoozed_until', k.snoozed_until, 'force_action', k.force_action, 'created_at', k.created_at)
         order by k.created_at), '[]'::jsonb)
    from app.workflow_tasks k where k.execution_id = e.id and k.org_id = e.org_id
$$;
revoke execute on function app.execution_tasks_json(app.workflow_executions) from public, anon;
grant execute on function app.execution_tasks_json(app.workflow_executions) to authenticated;

-- The execution's action log, newest first.
create or replace function app.execution_actions_json(e app.workflow_executions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', ae.id, 'action_key', ae.action_key, 'executed_by', ae.executed_by, 'params', ae.params,
           'result', ae.result, 'success', ae.success, 'error_message', ae.error_message,
           'side_effects', ae.side_effects, 'created_at', ae.created_at)
         order by ae.created_at desc), '[]'::jsonb)
    from app.action_executions ae where ae.execution_id = e.id and ae.org_id = e.org_id
$$;
revoke execute on function app.execution_actions_json(app.workflow_executions) from public, anon;
grant execute on function app.execution_actions_json(app.workflow_executions) to authenticated;

-- The execution's meetings, soonest first.
create or replace function app.execution_meetings_json(e app.workflow_executions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', m.id, 'title', m.title, 'scheduled_at', m.scheduled_at,
           'duration_minutes', m.duration_minutes, 'attendees', m.attendees, 'task_id', m.task_id,
           'invite_status', m.invite_status, 'invite_ics', m.invite_ics, 'created_at', m.created_at)
         order by m.scheduled_at), '[]'::jsonb)
    from app.workflow_meetings m where m.execution_id = e.id and m.org_id = e.org_id
$$;
revoke execute on function app.execution_meetings_json(app.workflow_executions) from public, anon;
grant execute on function app.execution_meetings_json(app.workflow_executions) to authenticated;

create or replace function public.get_workflow_execution(execution_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_result jsonb;
begin
  if get_workflow_execution.execution_id is null then
    raise exception 'execution_id is required' using errcode = '22023';
  end if;
  select * into e from app.workflow_executions x where x.id = get_workflow_execution.execution_id;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;

  select jsonb_build_object(
    'id', e.id,
    'execution_id', e.id,
    'workflow', jsonb_build_object('id', w.id, 'key', w.key, 'name', w.name, 'type', w.workflow_type,
                                   'version', v.version, 'version_id', v.id),
    'workflow_key', w.key,
    'workflow_name', w.name,
    'workflow_type', w.workflow_type,
    'status', e.status,
    'priority_score', e.priority_score::integer,
    'priority_factors', e.priority_factors,
    'assignee_id', e.assigned_to,
    'renewal_stage', e.renewal_stage,
    'period_key', e.period_key,
    'trigger_reason', e.trigger_reason,
    'current_step', case when e.current_step_key is null then null else jsonb_build_object(
      'key', e.current_step_key, 'index', e.current_step_index,
      'title', coalesce(v.config -> 'steps' -> e.current_step_index ->> 'title', e.current_step_key)) end,
    'total_steps', e.total_steps,
    'completed_steps', e.completed_steps,
    'progress', case when e.total_steps = 0 then 0 else round(e.completed_steps::numeric / e.total_steps, 4) end,
    'snoozed_until', e.snoozed_until,
    'started_at', e.started_at,
    'completed_at', e.completed_at,
    'superseded_by', e.superseded_by,
    'metadata', e.metadata,
    'outcome', e.outcome,
    'created_at', e.created_at,
    'updated_at', e.updated_at,
    'customer', app.customer_card(c, app.organisation_today(e.org_id)),
    'steps', app.execution_steps_json(e, v),
    'threads', app.execution_threads_json(e),
    'artifacts', app.execution_artifacts_json(e),
    'tasks', app.execution_tasks_json(e),
    'actions', app.execution_actions_json(e),
    'meetings', app.execution_meetings_json(e))
    into v_result
    from app.workflows w, app.workflow_versions v, app.customers c
   where w.id = e.workflow_id and v.id = e.workflow_version_id and c.id = e.customer_id;
  return v_result;
end;
$$;
comment on function public.get_workflow_execution(uuid) is
  'A workflow execution with its customer, steps (and their chat branches), threads, artifacts, tasks, meetings and action log.';
revoke execute on function public.get_workflow_execution(uuid) from public, anon;
grant execute on function public.get_workflow_execution(uuid) to authenticated;


---------------------------------------------------------------------------------------
-- public.resolve_escalation: guard, lock, the new assignee (reassign), the statuses the
-- decision leads to, then the escalation, the execution, its open tasks, the notices.
---------------------------------------------------------------------------------------

-- The person a reassigned escalated workflow goes to: assignable, and not its assignee.
create or replace function app.escalation_new_assignee(e app.workflow_executions, assignee_id uuid)
returns app.profiles
language plpgsql
stable
set search_path = ''
as $$
declare
  v_new app.profiles := app.require_assignable_person(e.org_id, escalation_new_assignee.assignee_id);
begin
  if v_new.id = e.assigned_to then
    raise exception 'assignee_id is already the assignee' using errcode = '22023',
      hint = 'To give the workflow back to them, use the decision return.';
  end if;
  return v_new;
end;
$$;
revoke execute on function app.escalation_new_assignee(app.workflow_executions, uuid) from public, anon;
grant execute on function app.escalation_new_assignee(app.workflow_executions, uuid) to authenticated;

-- The escalated execution after a manager's decision: the status it goes to (close:
-- cancelled with the reason; else the one it had), its assignee (reassign), its history.
create or replace function app.resolve_escalated_execution(
  e app.workflow_executions, esc app.workflow_escalations, decision text, note text, new_assignee uuid)
returns text
language plpgsql
set search_path = ''
as $$
declare
  v_status text := 'cancelled';
  v_until timestamptz;
begin
  if resolve_escalated_execution.decision <> 'close' then
    select x.status, x.snoozed_until into v_status, v_until from app.status_after_escalation(e, esc) x;
  end if;
  update app.workflow_executions x
     set status = v_status,
         snoozed_until = v_until,
         assigned_to = coalesce(resolve_escalated_execution.new_assignee, x.assigned_to),
         outcome = case when v_status = 'cancelled'
                        then coalesce(x.outcome, '{}'::jsonb) || jsonb_build_object('cancelled', true, 'reason', resolve_escalated_execution.note,
                               'decision', 'close')
                        else x.outcome end,
         metadata = app.with_history(x.metadata, jsonb_strip_nulls(jsonb_build_object(
                      'event', 'escalation_resolved', 'escalation_id', esc.id, 'decision', resolve_escalated_execution.decision,
                      'note', resolve_escalated_execution.note, 'reason', resolve_escalated_execution.note, 'to_status', v_status, 'from_assignee', e.assigned_to,
                      'to_assignee', resolve_escalated_execution.new_assignee)))
                    || case when v_status = 'cancelled' then '{}'::jsonb
                            else jsonb_build_object('handed_back_at', now()) end
   where x.id = e.id;
  return v_status;
end;
$$;
revoke execute on function app.resolve_escalated_execution(app.workflow_executions, app.workflow_escalations, text, text, uuid)
  from public, anon;
grant execute on function app.resolve_escalated_execution(app.workflow_executions, app.workflow_escalations, text, text, uuid)
  to authenticated;

-- Tells the assignee (and whoever escalated, when someone else) what the manager decided.
create or replace function app.notify_escalation_decision(
  e app.workflow_executions, esc app.workflow_escalations, decision text, note text, new_assignee app.profiles)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_to uuid := coalesce(e.assigned_to, esc.assignee_id);
  v_title text := case decision
    when 'return' then 'Returned to you with guidance: '
    when 'reassign' then 'Reassigned to ' || new_assignee.full_name || ': '
    else 'Closed by your manager: ' end || app.execution_label(e);
  v_data jsonb := jsonb_build_object('execution_id', e.id, 'escalation_id', esc.id, 'decision', decision,
                                     'by', (select auth.uid()), 'assignee_id', coalesce(new_assignee.id, e.assigned_to));
begin
  perform app.notify(e.org_id, v_to, 'escalation_resolved', v_title, note, v_data);
  if esc.escalated_by is distinct from v_to then
    perform app.notify(e.org_id, esc.escalated_by, 'escalation_resolved', v_title, note, v_data);
  end if;
end;
$$;
revoke execute on function app.notify_escalation_decision(app.workflow_executions, app.workflow_escalations, text, text, app.profiles)
  from public, anon;
grant execute on function app.notify_escalation_decision(app.workflow_executions, app.workflow_escalations, text, text, app.profiles)
  to authenticated;

create or replace function public.resolve_escalation(execution_id uuid, decision text, note text, assignee_id uuid default null)
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
  e := app.lock_execution_for_manager(resolve_escalation.execution_id, 'resolve the escalation of', resolve_escalation.assignee_id);
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
  return app.execution_summary(e.id) || jsonb_build_object('escalation_id', esc.id, 'escalation_status', v_esc_status,
                                                           'decision', resolve_escalation.decision);
end;
$$;
comment on function public.resolve_escalation(uuid, text, text, uuid) is
  'Managers and admins decide an open escalation: return (with guidance), reassign (assignee_id) or close (cancelled); the assignee is notified.';
revoke execute on function public.resolve_escalation(uuid, text, text, uuid) from public, anon;
grant execute on function public.resolve_escalation(uuid, text, text, uuid) to authenticated;


---------------------------------------------------------------------------------------
-- public.get_team_overview: guard, then one function per section (the members with their
-- open work and the totals; the quarter's renewals).
---------------------------------------------------------------------------------------

-- Each csm (and anyone else with open work) with their open work by lane and status, open
-- and overdue tasks — the manager's own reports first, then the busiest — and the totals.
create or replace function app.team_members_overview(org_id uuid, today date,
  out members jsonb, out open_total integer, out lane_now integer, out overdue integer, out escalated integer)
language sql
stable
set search_path = ''
as $$
  with work as (
    select e.assigned_to as person_id,
           count(*)::integer as open_total,
           count(*) filter (where e.queue_lane = 1)::integer as lane_now,
           count(*) filter (where e.queue_lane = 2)::integer as lane_soon,
           count(*) filter (where e.queue_lane = 3 or e.queue_lane is null)::integer as lane_planned,
           count(*) filter (where e.status = 'in_progress')::integer as in_progress,
           count(*) filter (where e.status = 'snoozed')::integer as snoozed,
           count(*) filter (where e.status = 'escalated')::integer as escalated,
           count(*) filter (where e.renewal_stage is not null and e.customer_decision_date < team_members_overview.today)::integer as overdue
      from app.workflow_executions e
     where e.org_id = team_members_overview.org_id and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       and e.assigned_to is not null
     group by e.assigned_to
  ), tasks as (
    select t.assigned_to as person_id,
           count(*)::integer as open_tasks,
           count(*) filter (where t.due_date < now())::integer as overdue_tasks
      from app.workflow_tasks t
     where t.org_id = team_members_overview.org_id and t.status in ('pending', 'in_progress', 'snoozed') and t.assigned_to is not null
     group by t.assigned_to
  )
  select jsonb_agg(jsonb_build_object(
           'id', p.id, 'full_name', p.full_name, 'email', p.email, 'role', p.role, 'title', p.title,
           'experience_level', p.experience_level, 'manager_id', p.manager_id,
           'reports_to_me', coalesce(p.manager_id = (select auth.uid()), false),
           'open_total', coalesce(w.open_total, 0),
           'lanes', jsonb_build_object('now', coalesce(w.lane_now, 0), 'soon', coalesce(w.lane_soon, 0),
                                       'planned', coalesce(w.lane_planned, 0)),
           'in_progress', coalesce(w.in_progress, 0),
           'snoozed', coalesce(w.snoozed, 0),
           'escalated', coalesce(w.escalated, 0),
           'overdue', coalesce(w.overdue, 0),
           'open_tasks', coalesce(k.open_tasks, 0),
           'overdue_tasks', coalesce(k.overdue_tasks, 0))
         order by (p.manager_id = (select auth.uid())) desc nulls last, coalesce(w.lane_now, 0) + coalesce(w.overdue, 0) desc,
                  lower(p.full_name), p.id),
         coalesce(sum(w.open_total), 0)::integer,
         coalesce(sum(w.lane_now), 0)::integer,
         coalesce(sum(w.overdue), 0)::integer,
         coalesce(sum(w.escalated), 0)::integer
    from app.profiles p
    left join work w on w.person_id = p.id
    left join tasks k on k.person_id = p.id
   where p.org_id = team_members_overview.org_id and (p.role = 'csm' or w.open_total > 0)
$$;
revoke execute on function app.team_members_overview(uuid, date) from public, anon;
grant execute on function app.team_members_overview(uuid, date) to authenticated;

-- The organisation's renewals of [quarter_start, quarter_end]: count, ARR, and the first
-- 100 by decision date with their assignee and open renewal execution.
create or replace function app.team_renewals_of_quarter(org_id uuid, today date, quarter_start date, quarter_end date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with renewals as (
    select c.id, c.name, c.arr, c.health_score, c.renewal_date, c.decision_date, c.renewal_stage, c.assigned_to,
           row_number() over (order by coalesce(c.decision_date, c.renewal_date), c.id) as n
      from app.customers c
     where c.org_id = team_renewals_of_quarter.org_id
       and c.renewal_date between team_renewals_of_quarter.quarter_start and team_renewals_of_quarter.quarter_end
  )
  select jsonb_build_object(
    'count', (select count(*)::integer from renewals),
    'arr', (select coalesce(sum(r.arr), 0) from renewals r),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'customer_id', r.id, 'name', r.name, 'arr', r.arr, 'health_score', r.health_score,
               'renewal_date', r.renewal_date, 'decision_date', r.decision_date, 'renewal_stage', r.renewal_stage,
               'days_until_decision', coalesce(r.decision_date, r.renewal_date) - team_renewals_of_quarter.today,
               'assignee_id', r.assigned_to, 'assignee_name', p.full_name,
               'execution_id', (select x.id from app.workflow_executions x
                                 where x.customer_id = r.id and x.org_id = team_renewals_of_quarter.org_id
                                   and x.renewal_stage is not null
                                   and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
                                 order by x.created_at desc limit 1))
             order by r.n)
        from renewals r left join app.profiles p on p.id = r.assigned_to
       where r.n <= 100), '[]'::jsonb))
$$;
revoke execute on function app.team_renewals_of_quarter(uuid, date, date, date) from public, anon;
grant execute on function app.team_renewals_of_quarter(uuid, date, date, date) to authenticated;

create or replace function public.get_team_overview()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_today date;
  v_q_start date;
  v_q_end date;
  m record;
begin
  if v_org is null or coalesce(app.current_member_role(), '') not in ('manager', 'admin') then
    raise exception 'Only managers and admins see the team overview' using errcode = '42501',
      hint = 'Your own work is in your queue.';
  end if;
  v_today := app.organisation_today(v_org);
  v_q_start := date_trunc('quarter', v_today)::date;
  v_q_end := (date_trunc('quarter', v_today) + interval '3 months' - interval '1 day')::date;
  m := app.team_members_overview(v_org, v_today);
  return jsonb_build_object(
    'as_of', v_today,
    'quarter', jsonb_build_object('start', v_q_start, 'end', v_q_end,
                                  'label', extract(year from v_q_start)::text || '-Q' || extract(quarter from v_q_start)::text),
    'members', coalesce(m.members, '[]'::jsonb),
    'totals', jsonb_build_object('open', m.open_total, 'now', m.lane_now, 'overdue', m.overdue,
                                 'escalated', m.escalated,
                                 'open_escalations', (select count(*)::integer from app.workflow_escalations x
                                                       where x.org_id = v_org and x.status = 'open')),
    'renewals', app.team_renewals_of_quarter(v_org, v_today, v_q_start, v_q_end));
end;
$$;
comment on function public.get_team_overview() is
  'Managers and admins: each person''s open work by lane, overdue, escalated, tasks; totals; the organisation''s renewals this quarter (first 100 by decision date).';
revoke execute on function public.get_team_overview() from public, anon;
grant execute on function public.get_team_overview() to authenticated;


---------------------------------------------------------------------------------------
-- public.choose_chat_branch: guard, lock, the branch, a replay returns the stored result,
-- else lock the current step and follow the branch (one function per branch type).
---------------------------------------------------------------------------------------

-- The branch chosen at a step of the execution's version; fixed and saved_action branches
-- route, llm and rag branches open a chat instead.
create or replace function app.routing_branch(e app.workflow_executions, step_key text, branch_key text)
returns app.workflow_chat_branches
language plpgsql
stable
set search_path = ''
as $$
declare
  b app.workflow_chat_branches;
begin
  select * into b from app.workflow_chat_branches x
   where x.workflow_version_id = e.workflow_version_id
     and x.step_key = routing_branch.step_key and x.branch_key = routing_branch.branch_key;
  if not found then
    raise exception 'Branch "%" is not offered at step "%" of this workflow', routing_branch.branch_key, routing_branch.step_key
      using errcode = '22023', hint = 'Use a branch of the step as get_workflow_execution lists it.';
  end if;
  if b.branch_type in ('llm', 'rag') then
    raise exception 'Branch "%" opens a chat; it does not route', b.branch_key using errcode = '22023',
      hint = 'Open its chat with create_chat_thread.';
  end if;
  return b;
end;
$$;
revoke execute on function app.routing_branch(app.workflow_executions, text, text) from public, anon;
grant execute on function app.routing_branch(app.workflow_executions, text, text) to authenticated;

-- Locks the step a branch is followed from: the workflow is in progress (not held by an
-- escalation) and the step is its current one.
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
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.' else 'Closed workflows cannot change.' end;
  end if;
  perform app.create_step_rows(array[e.id]);
  select * into s from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.step_key = lock_current_step_for_branch.step_key for update;
  if s.status is distinct from 'in_progress' then
    raise exception 'Cannot follow a branch of step "%": it is not the current step', lock_current_step_for_branch.step_key
      using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || e.current_step_key || '"', '') || '.';
  end if;
end;
$$;
revoke execute on function app.lock_current_step_for_branch(app.workflow_executions, text) from public, anon;
grant execute on function app.lock_current_step_for_branch(app.workflow_executions, text) to authenticated;

-- A fixed branch: completes the step with the branch's response and moves to the next
-- step (or to next_step_key); returns the route taken.
create or replace function app.follow_fixed_branch(e app.workflow_executions, b app.workflow_chat_branches, outcome jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_outcome jsonb := follow_fixed_branch.outcome || jsonb_build_object('response', b.response_text);
  v_step jsonb;
begin
  if b.next_step_key is not null and b.next_step_key <> b.step_key then
    return app.route_execution_step(e.id, b.step_key, b.next_step_key, v_outcome);
  end if;
  v_step := app.finish_step(e, b.step_key, 'completed', v_outcome, null);
  return jsonb_build_object('moved', true, 'from', b.step_key, 'to', v_step -> 'next_step' ->> 'key',
                            'direction', 'next', 'skipped', '[]'::jsonb,
                            'workflow_completed', (v_step ->> 'workflow_completed')::boolean);
end;
$$;
revoke execute on function app.follow_fixed_branch(app.workflow_executions, app.workflow_chat_branches, jsonb) from public, anon;
grant execute on function app.follow_fixed_branch(app.workflow_executions, app.workflow_chat_branches, jsonb) to authenticated;

-- A saved_action branch: runs the action; when it succeeded and the workflow is still
-- open, moves to return_step_key (else stays); returns the action's answer and the route.
create or replace function app.follow_saved_action_branch(
  e app.workflow_executions, b app.workflow_chat_branches, params jsonb, idempotency_key text, outcome jsonb,
  out action jsonb, out route jsonb)
language plpgsql
set search_path = ''
as $$
declare
  v_status text;
begin
  action := public.execute_action(b.saved_action_key, e.id, follow_saved_action_branch.params,
                                  follow_saved_action_branch.idempotency_key);
  select x.status into v_status from app.workflow_executions x where x.id = e.id;
  if coalesce((action ->> 'success')::boolean, false) and b.return_step_key is not null and app.is_open_status(v_status) then
    route := app.route_execution_step(e.id, b.step_key, b.return_step_key,
               follow_saved_action_branch.outcome || jsonb_build_object('action_key', b.saved_action_key,
                                                                       'action_execution_id', action ->> 'action_execution_id'));
  else
    route := jsonb_build_object('moved', false, 'direction', 'stay', 'skipped', '[]'::jsonb);
  end if;
end;
$$;
revoke execute on function app.follow_saved_action_branch(app.workflow_executions, app.workflow_chat_branches, jsonb, text, jsonb)
  from public, anon;
grant execute on function app.follow_saved_action_branch(app.workflow_executions, app.workflow_chat_branches, jsonb, text, jsonb)
  to authenticated;

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
comment on function public.choose_chat_branch(uuid, text, text, jsonb, text) is
  'Follows a fixed or saved_action branch of the current step: fixed completes it and moves to next_step_key; saved_action runs the action (branch defaults || params) and returns to return_step_key.';
revoke execute on function public.choose_chat_branch(uuid, text, text, jsonb, text) from public, anon;
grant execute on function public.choose_chat_branch(uuid, text, text, jsonb, text) to authenticated;
