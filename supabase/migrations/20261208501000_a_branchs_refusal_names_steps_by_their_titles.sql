-- A branch's refusal names steps by their titles, as complete_step's and the skip action's do
-- since 20261206272000: 'Cannot follow a branch of step "Review health and usage": it is not
-- the current step', hint 'Continue with the current step "Review support tickets".'
--
-- What and why: choose_chat_branch refused a branch of a step that is no longer the current
-- one (a second press of the same answer, a page left open while the workflow moved on) with
-- the step's key and the current step's key ("review-health", "support-review"), and
-- complete_step on a workflow still in the queue named the step by the key sent. The web app
-- shows these refusals to the person, who knows the steps by their titles only.
--
-- - app.step_title (20261206272000) also answers for a workflow that has not started, whose
--   step rows do not exist yet: from the steps of its version, as the page shows them.
-- - app.lock_current_step_for_branch is restated whole from 20261206259000 and
--   public.complete_step from 20261206259000; the titles in their refusals are the one change.
-- supabase/tests/choose_chat_branch/refusals_name_steps_by_their_titles.test.sql.

create or replace function app.step_title(execution_id uuid, step_key text)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  return coalesce(
    (select s.title from app.workflow_step_executions s
      where s.execution_id = step_title.execution_id and s.step_key = step_title.step_key),
    -- Not started: no step rows yet; the version's steps are what the page shows.
    (select coalesce(c.step ->> 'title', c.step ->> 'key')
       from app.workflow_executions e
       join app.workflow_versions v on v.id = e.workflow_version_id
      cross join lateral jsonb_array_elements(v.config -> 'steps') c(step)
      where e.id = step_title.execution_id and c.step ->> 'key' = step_title.step_key
      limit 1));
end;
$$;
comment on function app.step_title(uuid, text) is
  'The title of a workflow''s step, by its key (from its version before the workflow starts; null when there is no such step).';

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
    -- Named by their titles, as the person sees them on the page.
    raise exception 'Cannot follow a branch of step "%": it is not the current step',
      coalesce(s.title, left(lock_current_step_for_branch.step_key, 60))
      using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || app.step_title(e.id, e.current_step_key) || '"', '') || '.';
  end if;
end;
$$;

create or replace function public.complete_step(execution_id uuid, step_key text, outcome jsonb default '{}'::jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_result jsonb;
begin
  if coalesce(btrim(complete_step.step_key), '') = '' then
    raise exception 'step_key is required' using errcode = '22023';
  end if;
  if complete_step.outcome is not null and jsonb_typeof(complete_step.outcome) <> 'object' then
    raise exception 'outcome must be a JSON object' using errcode = '22023';
  end if;
  e := app.lock_execution(complete_step.execution_id, 'complete a step of');
  perform app.refuse_escalated_hold(e, 'complete a step of');
  if e.status <> 'in_progress' then
    raise exception 'Cannot complete step "%": the workflow is %',
      coalesce(app.step_title(e.id, complete_step.step_key), left(complete_step.step_key, 60)), app.status_words(e.status)
      using errcode = 'PT409',
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.'
                  else 'Closed workflows cannot change.' end;
  end if;
  v_result := app.finish_step(e, complete_step.step_key, 'completed', complete_step.outcome, null);
  return v_result || jsonb_build_object('execution', app.execution_summary(e.id));
end;
$$;
