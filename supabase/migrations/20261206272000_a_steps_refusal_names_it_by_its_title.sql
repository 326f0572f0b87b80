-- A step's refusal names the step by its title: "Cannot complete step \"Align internally\":
-- it is already completed", not by its key ("align-internally").
--
-- What and why: complete_step and skip_step refused a step done already, or not started
-- yet, with the step's key and the current step's key. The web app shows the refusal to the
-- person (Complete step pressed again after its answer was lost), who knows the steps by
-- their titles only. app.step_title gives the title of a workflow's step by key;
-- app.finish_step is restated whole from 20261206259000 with the titles in its two
-- refusals, nothing else changed.
-- supabase/tests/complete_step/refusals_name_steps_by_their_titles.test.sql.

create or replace function app.step_title(execution_id uuid, step_key text)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  return (select s.title from app.workflow_step_executions s
           where s.execution_id = step_title.execution_id and s.step_key = step_title.step_key);
end;
$$;
comment on function app.step_title(uuid, text) is 'The title of a workflow''s step, by its key (null when there is no such step).';
revoke execute on function app.step_title(uuid, text) from public, anon;
grant execute on function app.step_title(uuid, text) to authenticated, service_role;

create or replace function app.finish_step(
  e app.workflow_executions, step_key text, new_status text, outcome jsonb, skip_reason text
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  s app.workflow_step_executions;
  nxt app.workflow_step_executions;
  v_verb text := case finish_step.new_status when 'skipped' then 'skip' else 'complete' end;
begin
  perform app.create_step_rows(array[e.id]);
  select * into s from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.step_key = coalesce(finish_step.step_key, e.current_step_key)
   for update;
  if not found then
    raise exception 'step_key "%" is not a step of this workflow', left(coalesce(finish_step.step_key, ''), 60)
      using errcode = '22023', hint = 'Use one of the step keys of get_workflow_execution.';
  end if;
  -- Refusals name steps by their titles, as the person sees them on the page.
  if s.status in ('completed', 'skipped') then
    raise exception 'Cannot % step "%": it is already %', v_verb, s.title, s.status using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || app.step_title(e.id, e.current_step_key) || '"', '') || '.';
  end if;
  if s.status = 'pending' then
    raise exception 'Cannot % step "%": it has not started; the current step is "%"', v_verb, s.title,
      coalesce(app.step_title(e.id, e.current_step_key), 'none') using errcode = 'PT409',
      hint = 'Steps are done in order: finish the current step first.';
  end if;

  update app.workflow_step_executions x
     set status = finish_step.new_status,
         completed_at = now(),
         skip_reason = finish_step.skip_reason,
         outcome = x.outcome || coalesce(finish_step.outcome, '{}'::jsonb)
   where x.id = s.id
  returning * into s;

  select * into nxt from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.status = 'pending'
   order by (x.step_index < s.step_index), x.step_index
   limit 1
   for update;

  if found then
    update app.workflow_step_executions x set status = 'in_progress', started_at = now()
     where x.id = nxt.id returning * into nxt;
    update app.workflow_executions x
       set status = 'in_progress',
           current_step_key = nxt.step_key,
           current_step_index = nxt.step_index,
           completed_steps = least(x.completed_steps + 1, x.total_steps),
           metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'step_' || finish_step.new_status, 'step_key', s.step_key, 'reason', finish_step.skip_reason))
     where x.id = e.id;
  else
    update app.workflow_executions x
       set completed_steps = least(x.completed_steps + 1, x.total_steps),
           metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'step_' || finish_step.new_status, 'step_key', s.step_key, 'reason', finish_step.skip_reason))
     where x.id = e.id;
    perform app.complete_execution(e.id, finish_step.outcome, 'last step ' || finish_step.new_status);
  end if;

  return jsonb_build_object(
    'step', jsonb_build_object('key', s.step_key, 'title', s.title, 'index', s.step_index, 'status', s.status,
                               'completed_at', s.completed_at, 'skip_reason', s.skip_reason, 'outcome', s.outcome),
    'next_step', case when nxt.id is null then null else jsonb_build_object(
                   'key', nxt.step_key, 'title', nxt.title, 'index', nxt.step_index, 'status', nxt.status) end,
    'workflow_completed', nxt.id is null
  );
end;
$$;
