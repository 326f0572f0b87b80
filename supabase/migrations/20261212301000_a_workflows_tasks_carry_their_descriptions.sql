-- A workflow's tasks carry their descriptions (get_workflow_execution's `tasks[]`), as the
-- Tasks page's list_tasks and the customer page's tasks do.
--
-- What and why: the workflow page's "Tasks and meetings" listed each task's title, status,
-- priority and due date, and the server sent no more, so what the task's author wrote beside
-- it ("Ask for redlines by Friday", from New task's Details or Create Follow-up Task) was
-- shown on the Tasks page and nowhere on the workflow the task belongs to. Restated whole
-- from its newest definition (20261205064500_read_helpers_planned_once_per_session.sql);
-- `description` is the only change.
-- supabase/tests/get_workflow_execution/lists_tasks_with_their_descriptions.test.sql.

create or replace function app.execution_tasks_json(e app.workflow_executions)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
             'id', k.id, 'title', k.title, 'description', k.description, 'task_type', k.task_type, 'priority', k.priority,
             'status', k.status, 'assigned_to', k.assigned_to, 'due_date', k.due_date,
             'snoozed_until', k.snoozed_until, 'force_action', k.force_action, 'created_at', k.created_at)
           order by k.created_at), '[]'::jsonb)
      from app.workflow_tasks k where k.execution_id = e.id and k.org_id = e.org_id
  );
end;
$$;
