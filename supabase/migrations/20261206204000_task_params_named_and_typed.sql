-- A task's changes and actions take their own parameters, each of its type
-- (docs/business-rules.md "Tasks"), as an action's do (migration 20261206202000).
--
-- What and why: the same attacker's review found update_task storing a title sent as
-- `["a"]` as the text `["a"]`, and act_on_task storing a reassignment's reason sent as an
-- object as its JSON text; act_on_task also kept quiet about keys it does not read (a
-- misspelt `assignee` for assignee_id left the task where it was, answered as a success).
-- Both now ask app.require_params_of / app.require_text_params before anything is locked
-- or written: act_on_task takes `reason` (skip), `until` (snooze), `assignee_id` and
-- `reason` (reassign), nothing for start and complete; update_task's fields are text.

-- Restated whole; the params are checked first.
create or replace function public.act_on_task(task_id uuid, action text, params jsonb default '{}'::jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_params jsonb := coalesce(act_on_task.params, '{}'::jsonb);
  t app.workflow_tasks;
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
  t := app.lock_task(act_on_task.task_id, act_on_task.action);
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
  return app.task_json(t, app.organisation_today(t.org_id));
end;
$$;

-- Restated whole; the changes are checked as text first.
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
  if update_task.changes ? 'title' and coalesce(btrim(update_task.changes ->> 'title'), '') = '' then
    raise exception 'changes.title must not be blank' using errcode = '22023';
  end if;
  if update_task.changes ? 'priority' then
    perform app.require_task_priority(coalesce(update_task.changes ->> 'priority', ''), 'changes.priority');
  end if;
  if update_task.changes ? 'due_date' then
    v_due := app.timestamp_param(update_task.changes, 'due_date');
  end if;
  t := app.lock_task(update_task.task_id, 'change');
  if t.status not in ('pending', 'in_progress', 'snoozed') then
    raise exception 'Cannot change this task: it is %', t.status using errcode = 'PT409',
      hint = 'Completed and skipped tasks are kept as they were.';
  end if;
  update app.workflow_tasks x
     set title = case when update_task.changes ? 'title' then btrim(update_task.changes ->> 'title') else x.title end,
         description = case when update_task.changes ? 'description' then update_task.changes ->> 'description' else x.description end,
         priority = case when update_task.changes ? 'priority' then update_task.changes ->> 'priority' else x.priority end,
         due_date = case when update_task.changes ? 'due_date' then v_due else x.due_date end
   where x.id = t.id
  returning * into t;
  return app.task_json(t, app.organisation_today(t.org_id));
end;
$$;
