-- A task someone gave you is skipped with a reason, never deleted without a trace: delete_task
-- is for the person who created the task, a manager or an admin (docs/workflow-engine.md
-- "Tasks").
--
-- What and why: delete_task asked only whether the caller may change the task
-- (app.lock_task), so its assignee could delete a task a manager (or a colleague, or a saved
-- action run by someone else) had given them: gone, with nothing in the task's history, the
-- workflow or a notification to say so, where skipping it (act_on_task skip) needs a reason
-- that stays with the task. The web app offers no delete (it is for tasks made by mistake);
-- an API caller did. Now a CSM deletes only a task they created; a task made by someone else
-- or by Renubu itself (no creator) is 42501 with the hint to skip it with a reason. Managers
-- and admins delete as before. Restated whole from 20261204000700_tasks.sql; the creator check
-- is the one change, after the task is locked (PT404 and the lock's own 42501 first).
-- tests/hardening/a-given-task-is-skipped-not-deleted.test.ts.

create or replace function public.delete_task(task_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  t app.workflow_tasks;
begin
  t := app.lock_task(delete_task.task_id, 'delete');
  if app.current_member_role() not in ('manager', 'admin') and t.created_by is distinct from (select auth.uid()) then
    raise exception 'Only the person who created this task, a manager or an admin can delete it' using errcode = '42501',
      hint = 'Skip it with a reason instead (act_on_task, action skip), so whoever gave it can read why.';
  end if;
  delete from app.workflow_tasks x where x.id = t.id;
  return jsonb_build_object('id', t.id, 'deleted', true);
end;
$$;
comment on function public.delete_task(uuid) is
  'Deletes a task: its creator (while they may change it), a manager or an admin. A task someone else gave is skipped with a reason instead (42501).';
