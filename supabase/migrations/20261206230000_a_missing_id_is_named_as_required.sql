-- A required id or key left out is named as missing (22023), not looked for (PT404)
-- (docs/api.md "Errors").
--
-- What and why: a probe that calls every API function with nulls for its required
-- arguments found twelve that answered a missing id or key with PT404 ("Task not found",
-- 'Workflow "<NULL>" not found'): they looked the null up and found nothing. Everywhere
-- else a missing argument is 22023 with its name, and the API's rule is that a malformed
-- argument is 22023 naming it, while PT404 means a row that is not there or not visible.
-- The rule is now one helper, app.require_given, and each of the twelve calls it before its
-- lookup. The functions are restated whole from their latest definitions; the call is the
-- only change, except in list_startable_workflows, whose `customer_id is null` test moves
-- from its PT404 condition into the helper, and create_task, which now locks its workflow
-- through app.lock_workable_execution (20261206225000) and trims its title with
-- app.trimmed (20261206226000). Grants and comments stay (create or replace).
-- supabase/tests/structure/missing_arguments_are_named.test.sql calls every API function
-- this way, so a new one cannot bring the PT404 back.

-- 22023 "<argument_name> is required" unless `given`; the hint says what to pass.
create or replace function app.require_given(given boolean, argument_name text, hint text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if require_given.given is not true then
    raise exception '% is required', require_given.argument_name using errcode = '22023',
      hint = coalesce(require_given.hint, '');
  end if;
end;
$$;
revoke execute on function app.require_given(boolean, text, text) from public, anon;
grant execute on function app.require_given(boolean, text, text) to authenticated, service_role;

create or replace function public.confirm_contract_fields(extraction_id uuid, fields jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_x app.contract_extractions;
  v_result jsonb;
begin
  perform app.require_given(confirm_contract_fields.extraction_id is not null, 'extraction_id', 'Pass the id of a contract extraction.');
  -- Visibility first (RLS): another organisation's extraction is not found.
  select * into v_x from app.contract_extractions x where x.id = confirm_contract_fields.extraction_id;
  if not found then
    raise exception 'Contract extraction not found' using errcode = 'PT404',
      hint = 'Check the id; you only see extractions of your own organisation.';
  end if;
  if not (select app.has_role('csm', 'manager', 'admin')) then
    raise exception 'Only a csm, manager or admin can confirm contract terms' using errcode = '42501',
      hint = 'Ask a colleague with one of those roles.';
  end if;
  if confirm_contract_fields.fields is null or jsonb_typeof(confirm_contract_fields.fields) <> 'array'
     or jsonb_array_length(confirm_contract_fields.fields) = 0 then
    raise exception 'fields must be a non-empty array' using errcode = '22023',
      hint = 'Send [{"key": "notice_period_days", "value": 60}] or [{"key": "...", "reject": true}].';
  end if;

  v_result := app.decide_contract_fields(v_x.id, confirm_contract_fields.fields);

  return app.contract_extraction_json(v_x, false)
    || v_result
    || jsonb_build_object('customer', (
         select jsonb_build_object('id', c.id, 'renewal_date', c.renewal_date, 'decision_date', c.decision_date,
                                   'renewal_stage', c.renewal_stage)
           from app.customers c where c.id = v_x.customer_id));
end;
$$;

create or replace function public.create_task(title text, customer_id uuid, description text default null, execution_id uuid default null, task_type text default 'custom', priority text default 'medium', due_date timestamptz default null, assigned_to uuid default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_assignee uuid := coalesce(create_task.assigned_to, (select auth.uid()));
  v_customer app.customers;
  v_execution app.workflow_executions;
  t app.workflow_tasks;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not create tasks' using errcode = '42501';
  end if;
  if app.trimmed(create_task.title) is null then
    raise exception 'title is required' using errcode = '22023';
  end if;
  perform app.require_given(create_task.customer_id is not null, 'customer_id', 'Pass the id of the customer the task is for.');
  perform app.require_task_type(coalesce(create_task.task_type, 'custom'), 'task_type');
  perform app.require_task_priority(coalesce(create_task.priority, 'medium'), 'priority');
  select * into v_customer from app.customers c where c.id = create_task.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404';
  end if;
  if create_task.execution_id is not null then
    select * into v_execution from app.workflow_executions e
     where e.id = create_task.execution_id and e.customer_id = v_customer.id;
    if not found then
      raise exception 'execution_id must be a workflow of this customer' using errcode = '22023';
    end if;
    if not app.can_work_on_execution(create_task.execution_id) then
      raise exception 'You may not add tasks to this workflow' using errcode = '42501';
    end if;
    -- Locked as the lifecycle RPCs lock it (app.lock_workable_execution, 20261206225000:
    -- the assignee's workload, then the row, asked again), so a close, an escalation or a
    -- reassignment committing now is waited for and seen, and one that starts now waits
    -- for this task (and counts it).
    v_execution := app.lock_workable_execution(v_execution, 'add tasks to');
    perform app.require_workflow_accepts(v_execution, 'action', 'add a task to');
  end if;
  if not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
    raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
  end if;

  insert into app.workflow_tasks (org_id, customer_id, execution_id, title, description, task_type, priority,
                                  due_date, assigned_to, created_by)
  values (v_org, v_customer.id, create_task.execution_id, app.trimmed(create_task.title), create_task.description,
          coalesce(create_task.task_type, 'custom'), coalesce(create_task.priority, 'medium'),
          create_task.due_date, v_assignee, v_me)
  returning * into t;

  if v_assignee <> v_me then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (v_org, v_assignee, 'task_assigned', app.fit_title('New task: ' || t.title),
            'For ' || v_customer.name || coalesce(', due ' || to_char(t.due_date, 'YYYY-MM-DD'), '') || '.',
            jsonb_build_object('task_id', t.id, 'customer_id', v_customer.id, 'assigned_by', v_me));
  end if;
  return app.task_json(t, app.organisation_today(v_org));
end;
$$;

create or replace function public.get_artifact(artifact_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
begin
  perform app.require_given(get_artifact.artifact_id is not null, 'artifact_id', 'Pass the id of an artifact.');
  select a.* into artifact from app.workflow_task_artifacts a where a.id = get_artifact.artifact_id;
  perform app.require_found(found, 'Artifact', 'artifact', 'artifacts');
  return app.artifact_json(artifact) || jsonb_build_object(
    'versions', coalesce((
      select jsonb_agg(jsonb_build_object(
               'version', v.version, 'title', v.title, 'content', v.content, 'metadata', v.metadata,
               'edited_by', v.edited_by, 'created_at', v.created_at) order by v.version desc)
        from app.workflow_task_artifact_versions v
       where v.artifact_id = artifact.id and v.org_id = artifact.org_id), '[]'::jsonb));
end;
$$;

create or replace function public.get_chat_thread(thread_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  thread app.workflow_chat_threads;
  result jsonb;
begin
  perform app.require_given(get_chat_thread.thread_id is not null, 'thread_id', 'Pass the id of a chat thread.');
  select t.* into thread from app.workflow_chat_threads t where t.id = get_chat_thread.thread_id;
  perform app.require_found(found, 'Chat thread', 'thread', 'threads');
  select app.chat_thread_json(thread) || jsonb_build_object(
           'messages', coalesce((
             select jsonb_agg(app.chat_message_json(m) order by m.sequence)
               from app.workflow_chat_messages m
              where m.thread_id = thread.id), '[]'::jsonb),
           'tool_calls', coalesce((
             select jsonb_agg(app.llm_tool_call_json(c) order by c.created_at)
               from app.workflow_llm_tool_calls c
              where c.thread_id = thread.id and c.org_id = thread.org_id), '[]'::jsonb),
           'llm_context', (
             select app.llm_context_json(l)
               from app.workflow_llm_context l
              where l.thread_id = thread.id and l.org_id = thread.org_id))
    into result;
  return result;
end;
$$;

create or replace function public.get_contract_extraction(extraction_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_x app.contract_extractions;
begin
  perform app.require_given(get_contract_extraction.extraction_id is not null, 'extraction_id', 'Pass the id of a contract extraction.');
  select * into v_x from app.contract_extractions x where x.id = get_contract_extraction.extraction_id;
  if not found then
    raise exception 'Contract extraction not found' using errcode = 'PT404',
      hint = 'Check the id; you only see extractions of your own organisation.';
  end if;
  return app.contract_extraction_json(v_x, true);
end;
$$;

create or replace function public.get_task(task_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  t app.workflow_tasks;
begin
  perform app.require_given(get_task.task_id is not null, 'task_id', 'Pass the id of a task.');
  select * into t from app.workflow_tasks x where x.id = get_task.task_id;
  if not found then
    raise exception 'Task not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see tasks of your own organisation.';
  end if;
  return app.task_json(t, app.organisation_today(t.org_id)) || jsonb_build_object(
    'artifacts', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', a.id, 'artifact_type', a.artifact_type, 'title', a.title, 'content', a.content,
               'version', a.version, 'approved_at', a.approved_at, 'created_at', a.created_at)
             order by a.created_at desc)
        from app.workflow_task_artifacts a where a.task_id = t.id and a.org_id = t.org_id), '[]'::jsonb));
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
    raise exception 'Workflow "%" not found', get_workflow_definition.workflow_key using errcode = 'PT404',
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
    raise exception 'Version % of "%" not found', get_workflow_definition.version, get_workflow_definition.workflow_key
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

create or replace function public.list_chat_messages(thread_id uuid, after_sequence integer default 0, page_size integer default 100)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  items jsonb;
  last_sequence integer;
  fetched integer;
begin
  perform app.check_page_size(list_chat_messages.page_size, 500, 'Leave page_size out for 100.');
  if list_chat_messages.after_sequence is null or list_chat_messages.after_sequence < 0 then
    raise exception 'after_sequence must be 0 or more' using errcode = '22023', hint = 'Pass the last sequence you have, or 0.';
  end if;
  perform app.require_given(list_chat_messages.thread_id is not null, 'thread_id', 'Pass the id of a chat thread.');
  perform 1 from app.workflow_chat_threads t where t.id = list_chat_messages.thread_id;
  perform app.require_found(found, 'Chat thread', 'thread', 'threads');

  select coalesce(jsonb_agg(app.chat_message_json(page) order by page.sequence), '[]'::jsonb),
         max(page.sequence), count(*)
    into items, last_sequence, fetched
    from (
      select m.* from app.workflow_chat_messages m
       where m.thread_id = list_chat_messages.thread_id and m.sequence > list_chat_messages.after_sequence
       order by m.sequence
       limit list_chat_messages.page_size
    ) page;

  return jsonb_build_object(
    'messages', items,
    'next_after_sequence', case when fetched = list_chat_messages.page_size then last_sequence end
  );
end;
$$;

create or replace function public.list_contract_extractions(customer_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  perform app.require_given(list_contract_extractions.customer_id is not null, 'customer_id', 'Pass the id of a customer.');
  perform 1 from app.customers c where c.id = list_contract_extractions.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the customer id; you only see customers of your own organisation.';
  end if;
  return coalesce((
    select jsonb_agg(app.contract_extraction_json(x, false) order by x.created_at desc, x.id)
      from app.contract_extractions x
     where x.customer_id = list_contract_extractions.customer_id
  ), '[]'::jsonb);
end;
$$;

create or replace function public.list_startable_workflows(customer_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null then
    raise exception 'Only members of an organisation can open workflows' using errcode = '42501';
  end if;
  perform app.require_given(list_startable_workflows.customer_id is not null, 'customer_id', 'Pass the id of a customer.');
  if not exists (select 1 from app.customers c where c.id = list_startable_workflows.customer_id and c.org_id = v_org) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'key', w.key, 'name', w.name, 'workflow_type', w.workflow_type, 'total_steps', w.total_steps,
             'open_execution_id', (select x.id from app.workflow_executions x
                                    where x.customer_id = list_startable_workflows.customer_id and x.org_id = v_org
                                      and x.workflow_id = w.workflow_id and app.is_open_status(x.status) limit 1))
           order by w.name)
      from app.effective_workflows(v_org) w
     where w.trigger_config ->> 'kind' = 'manual'), '[]'::jsonb);
end;
$$;

create or replace function public.rotate_webhook_secret(secret_id uuid, overlap_hours integer default 24)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.require_integrations_admin();
  v_old app.webhook_secrets;
  v_new app.webhook_secrets;
begin
  if rotate_webhook_secret.overlap_hours is null or rotate_webhook_secret.overlap_hours < 0 or rotate_webhook_secret.overlap_hours > 168 then
    raise exception 'overlap_hours must be between 0 and 168 (one week)' using errcode = '22023';
  end if;
  perform app.require_given(rotate_webhook_secret.secret_id is not null, 'secret_id', 'Pass the id of a webhook secret.');
  select * into v_old from app.webhook_secrets s
   where s.id = rotate_webhook_secret.secret_id and s.org_id = v_org
   for update;
  if v_old.id is null then
    raise exception 'Webhook secret not found' using errcode = 'PT404';
  end if;
  if not v_old.active or v_old.expires_at is not null then
    raise exception 'Only a secret in use without an end date can be rotated' using errcode = 'PT409',
      hint = 'Rotate the newest secret, or create a new one.';
  end if;
  update app.webhook_secrets s
     set expires_at = now() + make_interval(hours => rotate_webhook_secret.overlap_hours)
   where s.id = v_old.id
  returning * into v_old;
  insert into app.webhook_secrets (org_id, label, secret)
  values (v_org, v_old.label, 'whsec_' || encode(extensions.gen_random_bytes(32), 'base64'))
  returning * into v_new;
  return jsonb_build_object(
    'secret', app.webhook_secret_json(v_new) || jsonb_build_object('secret', v_new.secret),
    'previous', app.webhook_secret_json(v_old));
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
    raise exception 'Workflow "%" not found', set_workflow_enabled.workflow_key using errcode = 'PT404',
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
