-- update_task names a due date it refuses as the parameter it is: changes.due_date.
--
-- What and why: every other problem with update_task's changes names the key under its
-- parameter ("changes.title must not be blank", "changes.priority …", "changes.status cannot
-- be changed here"), as propose_action names params.days; a due date that was not ISO 8601 or
-- outside the years 2000 to 2099 said "due_date must be …", a name update_task does not take.
-- Restated whole from 20261209300000; only the reading of the due date changed.
-- supabase/tests/tasks/update_task_names_changes_due_date.test.sql.

create or replace function public.update_task(task_id uuid, changes jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  t app.workflow_tasks;
  v_key text;
  v_due timestamptz;
begin
  if update_task.changes is null or jsonb_typeof(update_task.changes) <> 'object' or update_task.changes = '{}'::jsonb then
    raise exception 'changes must be a JSON object with at least one field' using errcode = '22023';
  end if;
  for v_key in select jsonb_object_keys(update_task.changes) loop
    if v_key not in ('title', 'description', 'priority', 'due_date') then
      raise exception 'changes.% cannot be changed here', v_key using errcode = '22023',
        hint = 'update_task changes title, description, priority and due_date; use act_on_task for status.';
    end if;
  end loop;
  perform app.require_text_params(update_task.changes, array['title', 'description', 'priority', 'due_date'], 'changes');
  if update_task.changes ? 'title' and app.trimmed(update_task.changes ->> 'title') is null then
    raise exception 'changes.title must not be blank' using errcode = '22023';
  end if;
  if update_task.changes ? 'priority' then
    perform app.require_task_priority(coalesce(update_task.changes ->> 'priority', ''), 'changes.priority');
  end if;
  if update_task.changes ? 'due_date' then
    -- Read under its nested name, so a refusal names the parameter as sent (changes.due_date).
    v_due := app.timestamp_param(jsonb_build_object('changes.due_date', update_task.changes -> 'due_date'), 'changes.due_date');
  end if;
  t := app.lock_task(update_task.task_id, 'change');
  -- A due date changed is one the person sets now; one sent again as it was is left alone.
  if update_task.changes ? 'due_date' and v_due is distinct from t.due_date then
    perform app.require_due_date_from_today(v_due, t.org_id, 'changes.due_date');
  end if;
  if t.status not in ('pending', 'in_progress', 'snoozed') then
    raise exception 'Cannot change this task: it is %', t.status using errcode = 'PT409',
      hint = 'Completed and skipped tasks are kept as they were.';
  end if;
  update app.workflow_tasks x
     set title = case when update_task.changes ? 'title' then app.trimmed(update_task.changes ->> 'title') else x.title end,
         description = case when update_task.changes ? 'description' then app.trimmed(update_task.changes ->> 'description') else x.description end,
         priority = case when update_task.changes ? 'priority' then update_task.changes ->> 'priority' else x.priority end,
         due_date = case when update_task.changes ? 'due_date' then v_due else x.due_date end
   where x.id = t.id
  returning * into t;
  return app.task_json(t, app.organisation_today(t.org_id));
end;
$$;
