-- A task's reassignment names the parameters it was sent, and every notification's title
-- fits the one title bound (docs/business-rules.md "Tasks", "Text").
--
-- What and why (an attacker's review):
-- - act_on_task reassign to a deactivated person answered "assigned_to has been
--   deactivated" (the task trigger's words; the caller sent params.assignee_id), and a
--   malformed id ("not-a-uuid") answered "assignee_id is required". The reassignment now
--   asks app.require_person_who_can_take_work, the rule the other assignments use, with
--   the parameter's own name, and tells a malformed id from a missing one.
-- - A reassigned task's notification title ("Task handed to you: " and a 300-character
--   title) was stored at 320 characters, past the bound every generated title keeps. Ten
--   functions write notifications; the bound is now applied once, by a trigger on the table,
--   with app.fit_title.

-- Restated whole (20261204000700); only the checks of params.assignee_id and params.reason
-- differ.
create or replace function app.task_reassign(t app.workflow_tasks, params jsonb)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_new uuid := app.uuid_param(task_reassign.params, 'assignee_id');
  v_reason text;
  v_task app.workflow_tasks;
begin
  if v_new is null and coalesce(btrim(task_reassign.params ->> 'assignee_id'), '') <> '' then
    raise exception 'params.assignee_id must be a person''s id' using errcode = '22023',
      hint = 'Pick the person from the team list; their id is a UUID.';
  end if;
  if v_new is null then
    raise exception 'params.assignee_id is required: who takes the task over' using errcode = '22023';
  end if;
  v_reason := nullif(btrim(task_reassign.params ->> 'reason'), '');
  if v_reason is null then
    raise exception 'params.reason is required to reassign a task' using errcode = '22023';
  end if;
  perform app.require_person_who_can_take_work(t.org_id, v_new, 'params.assignee_id');
  if v_new = t.assigned_to then
    raise exception 'The task is already assigned to that person' using errcode = 'PT409';
  end if;
  update app.workflow_tasks x
     set assigned_to = v_new, reassigned_from = x.assigned_to, reassign_reason = v_reason, status = 'pending',
         snoozed_until = null,
         metadata = x.metadata || jsonb_build_object('reassignments',
           coalesce(x.metadata -> 'reassignments', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
             'from', x.assigned_to, 'to', v_new, 'reason', v_reason, 'by', v_me, 'at', now())))
   where x.id = t.id returning * into v_task;
  insert into app.notifications (org_id, user_id, notification_type, title, body, data)
  values (v_task.org_id, v_new, 'task_reassigned', 'Task handed to you: ' || v_task.title, v_reason,
          jsonb_build_object('task_id', v_task.id, 'reassigned_by', v_me, 'reassigned_from', v_task.reassigned_from));
  return v_task;
end;
$$;

-- Every notification is written by the system, so its title is a generated one.
create or replace function app.notifications_fit_title()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.title := app.fit_title(new.title);
  return new;
end;
$$;
revoke execute on function app.notifications_fit_title() from public, anon;

create trigger notifications_fit_title
  before insert or update of title on app.notifications
  for each row execute function app.notifications_fit_title();
