-- An action on the customer's timeline says what it was for, as the workflow page's log
-- does: the reason it was asked with (a snooze, an escalation, a skip), else the title of the
-- task or meeting it made; a refused one still says why it was not done. Before, a CSM reading
-- the customer page saw "Action · Escalate" and nothing of why.
-- timeline_workflow_entries restated from 20261205223000_refused_actions_stay_out_of_others_history.sql;
-- only the action branch's summary differs.

create or replace function app.action_purpose_words(params jsonb, result jsonb)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return coalesce(nullif(btrim(action_purpose_words.params ->> 'reason'), ''),
                  nullif(btrim(action_purpose_words.params ->> 'title'), ''),
                  nullif(btrim(action_purpose_words.result ->> 'title'), ''));
end;
$$;
comment on function app.action_purpose_words(jsonb, jsonb) is
  'What an action done was for, in the words it was asked with: its reason, else the title of the task or meeting it made (params, then result); null when it says none (an email sent is an entry of its own).';
revoke execute on function app.action_purpose_words(jsonb, jsonb) from public, anon;
grant execute on function app.action_purpose_words(jsonb, jsonb) to authenticated, service_role;

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
          case when a.success then app.action_purpose_words(a.params, a.result) else a.error_message end,
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
