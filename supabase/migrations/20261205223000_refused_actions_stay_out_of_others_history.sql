-- A refused action by someone who may not act on a workflow leaves nothing of theirs in
-- that workflow's history, and the history a workflow page shows is bounded
-- (docs/business-rules.md "Actions"; docs/api-contract.md "Errors").
--
-- What and why: execute-action logs every refused call (public.log_refused_action, service
-- role) with the caller's params. A viewer who sent snooze with a 19 900-character reason
-- 25 times was refused 25 times (403), yet each refusal was logged with their text, and
-- app.execution_actions_json listed every log row of the execution: the CSM's workflow page
-- grew from 9.5 KB to 517 KB, and the customer timeline listed each refusal. Now:
--   * a refusal by someone who may not act on the execution (a viewer, a CSM on another
--     CSM's workflow, a deactivated person; or any 42501 / PT404 refusal) is kept as an
--     audit row without params, marked result.outsider = true, and neither the workflow
--     page (app.execution_actions_json) nor the customer timeline lists it;
--   * any refused row keeps the caller's params only when they are small (at most 2 000
--     characters as JSON text); longer ones are kept as {"omitted": <their length>}: the
--     refusal is recorded, the text that was refused is not;
--   * the workflow page lists the newest 50 visible action rows (app.execution_actions_json),
--     so no number of rows grows the page without limit. (The total beside them belongs in
--     get_workflow_execution's answer, which this migration does not redefine.)

-- May this person (not the signed-in one: log_refused_action runs as the service role for
-- the caller the token named) change this execution? The same rule as
-- app.can_work_on_execution, which RLS calls for the signed-in person and keeps written out
-- as one indexed query: managers and admins of its organisation; a CSM when it is assigned
-- to them or to nobody; never a deactivated person.
create or replace function app.person_may_work_on_execution(person_id uuid, execution_id uuid)
returns boolean
language plpgsql
stable
security definer -- reads the execution and the person's profile for the service role's log
set search_path = ''
as $$
begin
  return exists (
    select 1
      from app.workflow_executions e
      join app.profiles p on p.id = person_may_work_on_execution.person_id and p.org_id = e.org_id
                         and p.deactivated_at is null
     where e.id = person_may_work_on_execution.execution_id
       and (p.role in ('manager', 'admin')
            or (p.role = 'csm' and (e.assigned_to is null or e.assigned_to = p.id))));
end;
$$;
comment on function app.person_may_work_on_execution(uuid, uuid) is
  'True when the given person may change the execution (app.can_work_on_execution''s rule for someone other than the signed-in caller).';
revoke execute on function app.person_may_work_on_execution(uuid, uuid) from public, anon, authenticated;
grant execute on function app.person_may_work_on_execution(uuid, uuid) to service_role;

-- What of a refused call's params is kept: nothing for an outsider, small params as sent,
-- and only the length of large ones (the bound is for the audit, not for the text).
create or replace function app.refused_params_kept(params jsonb, outsider boolean)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  if outsider or params is null or jsonb_typeof(params) <> 'object' then
    return '{}'::jsonb;
  end if;
  if length(params::text) > 2000 then
    return jsonb_build_object('omitted', length(params::text));
  end if;
  return params;
end;
$$;
comment on function app.refused_params_kept(jsonb, boolean) is
  'The params a refused action''s log row keeps: none for an outsider, at most 2000 characters otherwise.';
revoke execute on function app.refused_params_kept(jsonb, boolean) from public, anon;
grant execute on function app.refused_params_kept(jsonb, boolean) to authenticated, service_role;

-- Restated whole (append-only); what changed: the outsider mark and the params kept.
create or replace function public.log_refused_action(
  executed_by uuid,
  action_key text,
  execution_id uuid,
  params jsonb,
  idempotency_key text,
  error_code text,
  error_message text
)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid;
  v_outsider boolean := log_refused_action.error_code in ('42501', 'PT404')
    or not app.person_may_work_on_execution(log_refused_action.executed_by, log_refused_action.execution_id);
begin
  insert into app.action_executions (org_id, execution_id, saved_action_id, action_key, executed_by, params,
                                     result, success, error_message)
  select e.org_id, e.id,
         (select s.id from app.saved_actions s
           where s.key = log_refused_action.action_key and (s.org_id = e.org_id or s.org_id is null)
           order by s.org_id nulls last limit 1),
         left(coalesce(log_refused_action.action_key, ''), 100), p.id,
         app.refused_params_kept(log_refused_action.params, v_outsider),
         jsonb_build_object('refused', true, 'error_code', left(log_refused_action.error_code, 10),
                            'idempotency_key', left(log_refused_action.idempotency_key, 200),
                            'outsider', v_outsider),
         false, left(log_refused_action.error_message, 500)
    from app.workflow_executions e
    join app.profiles p on p.id = log_refused_action.executed_by and p.org_id = e.org_id
   where e.id = log_refused_action.execution_id
  returning id into v_id;
  return v_id;
end;
$$;
comment on function public.log_refused_action(uuid, text, uuid, jsonb, text, text, text) is
  'Service role only: records a refused execute_action call in the action log (success false, the error); an outsider''s without params and out of the workflow''s history.';
revoke execute on function public.log_refused_action(uuid, text, uuid, jsonb, text, text, text) from public, anon, authenticated;
grant execute on function public.log_refused_action(uuid, text, uuid, jsonb, text, text, text) to service_role;

-- Is this log row part of the workflow's visible history? Everything but an outsider's
-- refusal.
create or replace function app.action_row_is_visible(result jsonb)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  return not coalesce((result ->> 'outsider')::boolean, false);
end;
$$;
comment on function app.action_row_is_visible(jsonb) is
  'False for an outsider''s refused call: kept for the audit, listed on no workflow page or timeline.';
revoke execute on function app.action_row_is_visible(jsonb) from public, anon;
grant execute on function app.action_row_is_visible(jsonb) to authenticated, service_role;

-- One action log row as the workflow page shows it.
create or replace function app.action_row_json(ae app.action_executions)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'id', ae.id, 'action_key', ae.action_key, 'executed_by', ae.executed_by, 'params', ae.params,
    'result', ae.result, 'success', ae.success, 'error_message', ae.error_message,
    'side_effects', ae.side_effects, 'created_at', ae.created_at);
end;
$$;
revoke execute on function app.action_row_json(app.action_executions) from public, anon;
grant execute on function app.action_row_json(app.action_executions) to authenticated, service_role;

-- How many action rows the workflow page carries: the newest.
create or replace function app.execution_actions_shown()
returns integer
language plpgsql
immutable
set search_path = ''
as $$
begin
  return 50;
end;
$$;
revoke execute on function app.execution_actions_shown() from public, anon;
grant execute on function app.execution_actions_shown() to authenticated, service_role;

create or replace function app.execution_actions_json(e app.workflow_executions)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(jsonb_agg(app.action_row_json(ae) order by ae.created_at desc, ae.id desc), '[]'::jsonb)
      from (select * from app.action_executions x
             where x.execution_id = e.id and x.org_id = e.org_id and app.action_row_is_visible(x.result)
             order by x.created_at desc, x.id desc
             limit app.execution_actions_shown()) ae
  );
end;
$$;
comment on function app.execution_actions_json(app.workflow_executions) is
  'The workflow page''s action log: the newest 50 visible rows, an outsider''s refusals left out.';

-- The customer timeline lists the same action rows: an outsider's refusals are left out
-- there too. Restated whole; only the action branch's condition changed.
create or replace function app.timeline_workflow_entries(req app.timeline_request)
returns setof app.timeline_entry
language plpgsql
stable
set search_path = ''
as $$
begin
  return query
  with execs as materialized (
    select x.id, x.status, x.started_at, x.completed_at, x.assigned_to, w.key as workflow_key, w.name as workflow_name
      from app.workflow_executions x
      join app.workflows w on w.id = x.workflow_id
     where x.customer_id = req.customer_id and x.org_id = req.org_id
  )
  (select x.started_at, x.id, 'workflow_started'::text, x.workflow_key, 'Started ' || x.workflow_name, null::text,
          x.assigned_to, x.id, jsonb_build_object('status', x.status)
     from execs x
    where 'workflow_started' = any(req.want) and x.started_at is not null
      and (req.after_id is null or (x.started_at, x.id, 'workflow_started') < (req.after_at, req.after_id, req.after_kind))
    order by x.started_at desc, x.id desc
    limit req.page_size + 1)
  union all
  (select x.completed_at, x.id, 'workflow_completed', x.workflow_key,
          case x.status when 'completed_with_pending_tasks' then 'Completed ' || x.workflow_name || ' (tasks pending)'
                        when 'cancelled' then 'Cancelled ' || x.workflow_name
                        else 'Completed ' || x.workflow_name end, null,
          x.assigned_to, x.id, jsonb_build_object('status', x.status)
     from execs x
    where 'workflow_completed' = any(req.want) and x.completed_at is not null
      and (req.after_id is null or (x.completed_at, x.id, 'workflow_completed') < (req.after_at, req.after_id, req.after_kind))
    order by x.completed_at desc, x.id desc
    limit req.page_size + 1)
  union all
  (select a.created_at, a.id, 'action', a.action_key, initcap(replace(a.action_key, '_', ' ')),
          case when a.success then null else a.error_message end,
          a.executed_by, a.execution_id, jsonb_build_object('success', a.success, 'workflow', x.workflow_name)
     from execs x
     join app.action_executions a on a.execution_id = x.id and a.org_id = req.org_id
    where 'action' = any(req.want) and app.action_row_is_visible(a.result)
      and (req.after_id is null or (a.created_at, a.id, 'action') < (req.after_at, req.after_id, req.after_kind))
    order by a.created_at desc, a.id desc
    limit req.page_size + 1)
  union all
  (select coalesce(m.sent_at, m.created_at), m.id, 'email', m.status, m.subject, null,
          m.requested_by, m.execution_id, jsonb_build_object('to', to_jsonb(m.to_addresses), 'status', m.status)
     from execs x
     join app.email_outbox m on m.execution_id = x.id and m.org_id = req.org_id
    where 'email' = any(req.want)
      and (req.after_id is null or (coalesce(m.sent_at, m.created_at), m.id, 'email') < (req.after_at, req.after_id, req.after_kind))
    order by coalesce(m.sent_at, m.created_at) desc, m.id desc
    limit req.page_size + 1)
  union all
  (select t.approved_at, t.id, 'artifact_approved', t.artifact_type, 'Approved: ' || t.title, null,
          t.approved_by, t.execution_id, jsonb_build_object('artifact_id', t.id, 'workflow', x.workflow_name)
     from execs x
     join app.workflow_task_artifacts t on t.execution_id = x.id and t.org_id = req.org_id
    where 'artifact_approved' = any(req.want) and t.approved_at is not null
      and (req.after_id is null or (t.approved_at, t.id, 'artifact_approved') < (req.after_at, req.after_id, req.after_kind))
    order by t.approved_at desc, t.id desc
    limit req.page_size + 1);
end;
$$;

