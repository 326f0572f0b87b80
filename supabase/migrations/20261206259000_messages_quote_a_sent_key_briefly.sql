-- An error message names a key the caller sent in at most 60 characters, never the
-- whole of it (docs/api-contract.md "Errors").
--
-- What and why: a refused key was repeated whole in the message: execute_action with an
-- action_key of 1 MB answered a 1 MB error ('action_key "xxxx…" is not an action
-- available'), and so did create_workflow_execution, get_workflow_definition,
-- set_workflow_enabled and get_step_chat_branches (workflow_key), list_artifacts and the
-- artifact writers (artifact_type), create_chat_thread, complete_step, choose_chat_branch
-- and the chat of a branch (step_key, branch_key). The answer, the web app's error text,
-- the function logs and the refused-action log (which keeps the message) all carried it.
-- The filters already quoted at most 60 characters (left(…, 60): app.queue_filter_of,
-- app.task_list_filters, app.timeline_wanted_kinds); every message that repeats a key the
-- caller sent now does the same, so a refusal stays a sentence whatever was sent.
-- Functions restated whole from their latest definitions (app.available_action
-- 20261206202000, app.chat_branch_for_thread and app.execution_step_for_chat and
-- get_step_chat_branches 20261204000800, app.check_new_artifact 20261206226000,
-- app.finish_step, app.lock_current_step_for_branch, app.routing_branch and complete_step
-- 20261204000500, create_workflow_execution 20261205193000, execute_action 20261206250000,
-- get_workflow_definition and set_workflow_enabled 20261206230000, list_artifacts
-- 20261206254000); the left(…, 60) around the repeated key is the only change.
-- supabase/tests/structure/messages_quote_a_sent_key_briefly.test.sql.

create or replace function app.available_action(action_key text, org_id uuid)
returns app.saved_actions
language plpgsql
stable
set search_path = ''
as $$
declare
  a app.saved_actions;
begin
  select * into a from app.saved_actions s
   where s.key = available_action.action_key and s.is_active
     and (s.org_id is null or s.org_id = available_action.org_id)
   order by s.org_id nulls last limit 1;
  if not found then
    raise exception 'action_key "%" is not an action available to this organisation', left(available_action.action_key, 60)
      using errcode = '22023', hint = 'Use one of list_saved_actions.';
  end if;
  return a;
end;
$$;

create or replace function app.chat_branch_for_thread(workflow_version_id uuid, step_key text, branch_key text)
returns app.workflow_chat_branches
language plpgsql
stable
set search_path = ''
as $$
declare
  branch app.workflow_chat_branches;
begin
  select b.* into branch
    from app.workflow_chat_branches b
   where b.workflow_version_id = chat_branch_for_thread.workflow_version_id
     and b.step_key = chat_branch_for_thread.step_key and b.branch_key = chat_branch_for_thread.branch_key;
  if not found then
    raise exception 'Branch "%" is not offered at this step', left(chat_branch_for_thread.branch_key, 60) using errcode = '22023',
      hint = 'Use one of the branches get_step_chat_branches returns for this step.';
  end if;
  if branch.branch_type not in ('llm', 'rag') then
    raise exception 'Branch "%" is a % branch and opens no chat', branch.label, branch.branch_type using errcode = '22023',
      hint = 'Choose fixed and saved-action branches with choose_chat_branch.';
  end if;
  return branch;
end;
$$;

create or replace function app.check_new_artifact(artifact_type text, title text, content jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_types constant text[] := app.artifact_types();
begin
  if check_new_artifact.artifact_type is null or not check_new_artifact.artifact_type = any (v_types) then
    raise exception 'artifact_type "%" is not known', left(check_new_artifact.artifact_type, 60) using errcode = '22023',
      hint = format('Use %s or %s.', array_to_string(v_types[1:cardinality(v_types) - 1], ', '), v_types[cardinality(v_types)]);
  end if;
  if app.trimmed(check_new_artifact.title) is null then
    raise exception 'title must not be empty' using errcode = '22023', hint = 'Give the artifact a title.';
  end if;
  if check_new_artifact.content is null then
    raise exception 'content is required' using errcode = '22023', hint = 'Pass the artifact''s content as JSON.';
  end if;
end;
$$;

create or replace function app.execution_step_for_chat(
  execution app.workflow_executions, step_key text, out step jsonb, out workflow_name text)
language plpgsql
stable
set search_path = ''
as $$
begin
  select s, w.name
    into step, workflow_name
    from app.workflow_versions v
    join app.workflows w on w.id = v.workflow_id
    cross join lateral jsonb_array_elements(v.config -> 'steps') s
   where v.id = execution.workflow_version_id
     and s ->> 'key' = execution_step_for_chat.step_key;
  if step is null then
    raise exception 'step_key "%" is not a step of this workflow', left(execution_step_for_chat.step_key, 60) using errcode = '22023',
      hint = 'Use one of the step keys of the workflow execution.';
  end if;
end;
$$;

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
  if s.status in ('completed', 'skipped') then
    raise exception 'Cannot % step "%": it is already %', v_verb, s.step_key, s.status using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || e.current_step_key || '"', '') || '.';
  end if;
  if s.status = 'pending' then
    raise exception 'Cannot % step "%": it has not started; the current step is "%"', v_verb, s.step_key,
      coalesce(e.current_step_key, 'none') using errcode = 'PT409',
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
    raise exception 'Cannot follow a branch of step "%": it is not the current step', left(lock_current_step_for_branch.step_key, 60)
      using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || e.current_step_key || '"', '') || '.';
  end if;
end;
$$;

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
    raise exception 'Branch "%" is not offered at step "%" of this workflow', left(routing_branch.branch_key, 60), left(routing_branch.step_key, 60)
      using errcode = '22023', hint = 'Use a branch of the step as get_workflow_execution lists it.';
  end if;
  if b.branch_type in ('llm', 'rag') then
    raise exception 'Branch "%" opens a chat; it does not route', b.branch_key using errcode = '22023',
      hint = 'Open its chat with create_chat_thread.';
  end if;
  return b;
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
    raise exception 'Cannot complete step "%": the workflow is %', left(complete_step.step_key, 60), app.status_words(e.status)
      using errcode = 'PT409',
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.'
                  else 'Closed workflows cannot change.' end;
  end if;
  v_result := app.finish_step(e, complete_step.step_key, 'completed', complete_step.outcome, null);
  return v_result || jsonb_build_object('execution', app.execution_summary(e.id));
end;
$$;

create or replace function public.create_workflow_execution(customer_id uuid, workflow_key text, assignee_id uuid default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  c app.customers;
  w record;
  v_assignee uuid;
  v_id uuid;
  v_existing uuid;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not open workflows' using errcode = '42501',
      hint = 'Viewers can read the queue but not change it.';
  end if;
  if create_workflow_execution.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  if coalesce(btrim(create_workflow_execution.workflow_key), '') = '' then
    raise exception 'workflow_key is required' using errcode = '22023';
  end if;
  select * into c from app.customers x where x.id = create_workflow_execution.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  select * into w from app.effective_workflows(v_org) f where f.key = create_workflow_execution.workflow_key;
  if not found then
    raise exception 'workflow_key "%" is not a workflow of your organisation', left(create_workflow_execution.workflow_key, 60)
      using errcode = '22023', hint = 'Use the key of a core workflow (e.g. risk-assessment) or one of your organisation''s.';
  end if;
  v_assignee := coalesce(create_workflow_execution.assignee_id, c.assigned_to, v_me);
  if create_workflow_execution.assignee_id is not null then
    -- someone named: they must be able to do the work (new work that falls to a
    -- deactivated CSM by default opens unassigned, app.unassign_new_work_of_deactivated)
    perform app.require_person_who_can_take_work(v_org, create_workflow_execution.assignee_id, 'assignee_id');
  elsif not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
    raise exception 'assignee_id is not a member of your organisation' using errcode = '22023';
  end if;
  if v_role = 'csm' and v_assignee <> v_me then
    if create_workflow_execution.assignee_id is not null then
      raise exception 'A CSM can only open workflows for themselves' using errcode = '42501',
        hint = 'Leave assignee_id out, or ask a manager to assign it.';
    end if;
    v_assignee := v_me;
  end if;

  insert into app.workflow_executions (
    org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, renewal_stage,
    trigger_reason, current_step_key, current_step_index, total_steps, metadata)
  values (
    v_org, c.id, w.workflow_id, w.version_id, v_assignee, 'queued',
    case when w.workflow_type = 'renewal' then w.trigger_config ->> 'stage' end,
    'Opened manually', w.first_step_key, case when w.first_step_key is null then null else 0 end, w.total_steps,
    app.with_history('{}'::jsonb, jsonb_build_object('event', 'created', 'manual', true)))
  on conflict (customer_id, workflow_id) where status in ('queued', 'in_progress', 'snoozed', 'escalated')
  do nothing
  returning id into v_id;

  if v_id is null then
    select x.id into v_existing from app.workflow_executions x
     where x.customer_id = c.id and x.workflow_id = w.workflow_id and app.is_open_status(x.status);
    raise exception 'A "%" workflow is already open for %', w.name, c.name using errcode = 'PT409',
      detail = coalesce(v_existing::text, ''),
      hint = 'Open the existing execution ' || coalesce(v_existing::text, '') || ' instead.';
  end if;
  perform app.create_step_rows(array[v_id]);
  return public.get_workflow_execution(v_id);
end;
$$;

create or replace function public.execute_action(
  action_key text,
  execution_id uuid,
  params jsonb default '{}',
  idempotency_key text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_params jsonb := coalesce(execute_action.params, '{}'::jsonb);
  v_key text := execute_action.idempotency_key;
  a app.saved_actions;
  e app.workflow_executions;
  prior app.action_executions;
  v_log_id uuid;
  v_applied jsonb;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not run actions on workflows' using errcode = '42501',
      hint = 'Viewers can read workflows but not change them.';
  end if;
  if coalesce(btrim(execute_action.action_key), '') = '' then
    raise exception 'action_key is required' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  perform app.check_request_key(v_key, 'idempotency_key', 200);
  select * into a from app.saved_actions s
   where s.key = execute_action.action_key and s.is_active and (s.org_id = v_org or s.org_id is null)
   order by s.org_id nulls last limit 1;
  if not found then
    raise exception 'action_key "%" is not an action available to your organisation', left(execute_action.action_key, 60)
      using errcode = '22023', hint = 'See list_saved_actions for the available keys.';
  end if;
  e := app.require_workable_execution(execute_action.execution_id, 'run actions on');
  -- The workflow's locks first (the assignee's workload, then the row, asked again on the
  -- locked row), then the idempotency key: the key's log row points at the workflow, and
  -- claimed before the locks it held the row's key share while this call waited for the
  -- workload lock, deadlocking with a writer holding that lock and waiting for the row.
  -- A concurrent call with the same key waits for the locks, then replays.
  e := app.lock_workable_execution(e, 'run actions on');
  v_log_id := app.claim_action_log(e.id, a.id, v_params, v_key);
  if v_log_id is null then
    select * into prior from app.action_executions x
     where x.org_id = v_org and x.executed_by = v_me and x.idempotency_key = v_key;
    if prior.execution_id is distinct from e.id or prior.action_key is distinct from a.key then
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Use a new idempotency key for each new action; a retry repeats the same action, workflow and params.';
    end if;
    return jsonb_build_object(
      'action_execution_id', prior.id, 'action_key', prior.action_key, 'success', prior.success,
      'result', prior.result, 'execution', app.execution_summary(e.id),
      'side_effects', prior.side_effects, 'replayed', true);
  end if;

  -- A new request's params (after the replay above: a retry of a call logged before this
  -- rule answers what it answered then).
  perform app.require_action_params(a.action_type, v_params);

  -- The state, on the row locked above.
  if e.status = 'escalated' then
    raise exception 'Cannot run "%" on this workflow: it is escalated and waits for a decision', a.name
      using errcode = 'PT409',
      hint = 'Its assignee can withdraw the escalation; a manager can return, reassign or close it.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'Cannot run "%" on this workflow: it is %', a.name, app.status_words(e.status)
      using errcode = 'PT409', hint = 'Closed workflows cannot change.';
  end if;

  v_applied := case a.action_type
    when 'snooze' then app.action_snooze(a, e, v_params, v_log_id)
    when 'skip' then app.action_skip(a, e, v_params, v_log_id)
    when 'escalate' then app.action_escalate(a, e, v_params, v_log_id)
    when 'schedule_meeting' then app.action_schedule_meeting(a, e, v_params, v_log_id)
    when 'send_email' then app.action_send_email(a, e, v_params, v_log_id)
    when 'create_task' then app.action_create_task(a, e, v_params, v_log_id)
    else app.action_custom(a, e, v_params, v_log_id)
  end;

  perform app.complete_action_log(v_log_id, v_applied -> 'params', v_applied -> 'result', v_applied -> 'side_effects');

  return jsonb_build_object(
    'action_execution_id', v_log_id, 'action_key', a.key, 'success', true, 'result', v_applied -> 'result',
    'execution', app.execution_summary(e.id), 'side_effects', v_applied -> 'side_effects', 'replayed', false);
end;
$$;

create or replace function public.get_step_chat_branches(workflow_key text, step_key text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  version_id uuid;
  result jsonb;
begin
  if get_step_chat_branches.workflow_key is null or get_step_chat_branches.step_key is null then
    raise exception 'workflow_key and step_key are required' using errcode = '22023',
      hint = 'Pass a workflow key such as "renewal" and one of its step keys.';
  end if;
  -- The organisation's own definition wins over the core one of the same key.
  select v.id into version_id
    from app.workflows w
    join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
   where w.key = get_step_chat_branches.workflow_key and w.is_active
   order by (w.org_id is null), w.created_at
   limit 1;
  if version_id is null then
    raise exception 'Workflow "%" not found', left(get_step_chat_branches.workflow_key, 60) using errcode = 'PT404',
      hint = 'Use the key of a core workflow or one of your organisation''s.';
  end if;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', b.id, 'branch_key', b.branch_key, 'label', b.label, 'branch_type', b.branch_type,
           'position', b.position, 'response_text', b.response_text, 'next_step_key', b.next_step_key,
           'prompt_template', b.prompt_template, 'allow_off_script', b.allow_off_script,
           'saved_action_key', b.saved_action_key, 'return_step_key', b.return_step_key, 'config', b.config)
           order by b.position, b.branch_key), '[]'::jsonb)
    into result
    from app.workflow_chat_branches b
   where b.workflow_version_id = version_id and b.step_key = get_step_chat_branches.step_key;
  return result;
end;
$$;

create or replace function public.get_workflow_definition(workflow_key text, version integer default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  own app.workflows;
  core app.workflows;
  w app.workflows;
  v_ids uuid[];
  v_shown app.workflow_versions;
  v_prev app.workflow_versions;
  v_versions jsonb;
begin
  if v_org is null then
    raise exception 'You are not a member of an organisation' using errcode = '42501';
  end if;
  perform app.require_given(get_workflow_definition.workflow_key is not null, 'workflow_key', 'Use a key from list_workflow_definitions.');
  select * into own from app.workflows x where x.org_id = v_org and x.key = get_workflow_definition.workflow_key;
  select * into core from app.workflows x where x.org_id is null and x.key = get_workflow_definition.workflow_key and x.is_active;
  w := case when own.id is not null then own else core end;
  if w.id is null then
    raise exception 'Workflow "%" not found', left(get_workflow_definition.workflow_key, 60) using errcode = 'PT404',
      hint = 'Use a key from list_workflow_definitions.';
  end if;
  -- The versions behind this key: an override's own, then those of the core one it overrides.
  v_ids := case when own.id is null then array[core.id]
                when own.overrides_workflow_id is not null then array[own.id, core.id]
                else array[own.id] end;
  select coalesce(jsonb_agg(jsonb_build_object(
           'version', v.version, 'scope', case when v.org_id is null then 'core' else 'organisation' end,
           'created_at', v.created_at, 'change_note', v.change_note,
           'created_by', (select p.full_name from app.profiles p where p.id = v.created_by))
           order by v.version desc, v.org_id nulls last), '[]'::jsonb)
    into v_versions
    from app.workflow_versions v
   where v.workflow_id = any(v_ids);

  select * into v_shown from app.workflow_versions v
   where v.workflow_id = any(v_ids) and v.version = coalesce(get_workflow_definition.version, w.current_version)
   order by v.org_id nulls last limit 1;
  if v_shown.id is null then
    raise exception 'Version % of "%" not found', get_workflow_definition.version, left(get_workflow_definition.workflow_key, 60)
      using errcode = 'PT404', hint = 'Use a version listed under versions.';
  end if;
  select * into v_prev from app.workflow_versions v
   where v.workflow_id = any(v_ids) and v.version < v_shown.version
   order by v.version desc, v.org_id nulls last limit 1;

  return app.workflow_definition_summary(w, v_org) || jsonb_build_object(
    'shown_version', v_shown.version,
    'definition', app.workflow_definition_document(v_shown.workflow_id, v_shown.id),
    'previous', case when v_prev.id is null then null else jsonb_build_object(
      'version', v_prev.version, 'scope', case when v_prev.org_id is null then 'core' else 'organisation' end,
      'definition', app.workflow_definition_document(v_prev.workflow_id, v_prev.id)) end,
    'versions', v_versions);
end;
$$;

create or replace function public.list_artifacts(
  execution_id uuid default null,
  task_id uuid default null,
  artifact_type text default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  result jsonb;
begin
  if list_artifacts.execution_id is null and list_artifacts.task_id is null then
    raise exception 'execution_id or task_id is required' using errcode = '22023',
      hint = 'List the artifacts of one workflow execution or one task.';
  end if;
  if list_artifacts.artifact_type is not null and not list_artifacts.artifact_type = any (app.artifact_types()) then
    raise exception 'artifact_type "%" is not known', left(list_artifacts.artifact_type, 60) using errcode = '22023',
      hint = 'Leave artifact_type out to list every type.';
  end if;
  -- A named workflow or task the caller cannot see is not found, as everywhere (an empty
  -- list would read as "it has no drafts"); the same answer for another organisation's id
  -- and an id that never existed.
  if list_artifacts.execution_id is not null then
    perform 1 from app.workflow_executions x where x.id = list_artifacts.execution_id;
    perform app.require_found(found, 'Workflow execution', 'execution', 'workflows');
  end if;
  if list_artifacts.task_id is not null then
    perform 1 from app.workflow_tasks t where t.id = list_artifacts.task_id;
    perform app.require_found(found, 'Task', 'task', 'tasks');
  end if;

  -- Each branch is served by an index leading with its id (execution_id or task_id).
  select coalesce(jsonb_agg(app.artifact_json(a) order by a.created_at desc, a.id desc), '[]'::jsonb)
    into result
    from (
      select x.* from app.workflow_task_artifacts x
       where (list_artifacts.execution_id is null or x.execution_id = list_artifacts.execution_id)
         and (list_artifacts.task_id is null or x.task_id = list_artifacts.task_id)
         and (list_artifacts.artifact_type is null or x.artifact_type = list_artifacts.artifact_type)
       order by x.created_at desc, x.id desc
       limit 500
    ) a;
  return result;
end;
$$;

create or replace function public.set_workflow_enabled(workflow_key text, enabled boolean)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  w app.workflows;
  v_was boolean;
begin
  if v_org is null or not app.has_role('admin') then
    raise exception 'Only admins can switch workflows on or off' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  if set_workflow_enabled.enabled is null then
    raise exception 'enabled must be true or false' using errcode = '22023';
  end if;
  perform app.require_given(set_workflow_enabled.workflow_key is not null, 'workflow_key', 'Use a key from list_workflow_definitions.');
  select * into w from app.workflows x
   where x.key = set_workflow_enabled.workflow_key and x.is_active and (x.org_id = v_org or x.org_id is null)
   order by x.org_id nulls last limit 1;
  if w.id is null then
    raise exception 'Workflow "%" not found', left(set_workflow_enabled.workflow_key, 60) using errcode = 'PT404',
      hint = 'Use a key from list_workflow_definitions.';
  end if;
  v_was := not exists (select 1 from app.disabled_workflows d where d.org_id = v_org and d.workflow_key = w.key);
  if set_workflow_enabled.enabled then
    delete from app.disabled_workflows d where d.org_id = v_org and d.workflow_key = w.key;
  else
    insert into app.disabled_workflows (org_id, workflow_key, disabled_by)
    values (v_org, w.key, (select auth.uid()))
    on conflict do nothing;
  end if;
  if v_was is distinct from set_workflow_enabled.enabled then
    perform app.record_admin_change('workflow_definition', w.key, case when set_workflow_enabled.enabled then 'enable' else 'disable' end,
      jsonb_build_object('enabled', v_was), jsonb_build_object('enabled', set_workflow_enabled.enabled));
  end if;
  return app.workflow_definition_summary(w, v_org);
end;
$$;
