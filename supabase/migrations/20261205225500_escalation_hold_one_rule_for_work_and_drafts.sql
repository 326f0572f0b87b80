-- The escalation hold, and a closed workflow, as one rule every path asks (docs/escalation-loop.md
-- "What the hold blocks").
--
-- What and why: the docs say nobody runs an action on an escalated workflow, but only
-- execute_action and the step functions asked. An attacker's review found, on an
-- escalated workflow: create_task with execution_id answered 200 (the create_task ACTION
-- is refused), set_renewal_forecast {category: "commit"} answered 200 (while
-- record_renewal_outcome is refused for its CSM and allowed to a manager), and
-- create_artifact and propose_action answered 200. On a completed workflow create_task and
-- create_artifact succeeded too, leaving a workflow shown as `completed` with a pending
-- task it does not show.
--
-- The rule, written once in app.require_workflow_accepts(e, what, verb):
--
--   what       | queued, in_progress, snoozed | escalated (a hold)  | closed (completed, skipped, cancelled, superseded)
--   'action'   | yes                          | PT409, for everyone | PT409
--   'draft'    | yes                          | yes                 | PT409
--
--   'action' is anything that changes the workflow or commits to something on it: a step,
--   a saved action (execute_action, already), a task on it (create_task with
--   execution_id), a proposal to act (propose_action: it asks a person to run an action
--   that could not run), the renewal's forecast (set_renewal_forecast) and its outcome
--   (record_renewal_outcome, which completes the workflow). A manager is not an exception:
--   the manager acts by deciding the escalation (return, reassign, close), then acts.
--   'draft' is text written for later: an artifact (create_artifact, and with it
--   create_agent_draft; the assistant's draft in a chat reply, create_assistant_artifact).
--   Drafting stays open during the hold, as chatting does; nothing drafted can be sent
--   until the hold ends (send_email is an action). A closed workflow takes neither: new
--   work there would be hidden behind its closed status. The one exception is the
--   assistant's summary of a completed chat (create_assistant_artifact without a reply),
--   the record of a conversation that may itself have finished the workflow.
--
-- The refusals are PT409 ("a transition the state does not allow", docs/api-contract.md),
-- checked after PT404 and 42501 so a caller who may not see or change the workflow learns
-- nothing more. record_renewal_outcome's escalated refusal was 42501 for its CSM and
-- nothing for a manager; it is now the hold's PT409 for both.
--
-- Redefined here (each restated whole, one call added or one check replaced):
-- public.create_task, public.create_artifact, public.propose_action,
-- public.create_assistant_artifact, app.require_open_renewal (set_renewal_forecast) and
-- app.lock_open_renewal_execution (record_renewal_outcome); app.forecast_items gains
-- `on_hold` so the Forecast page stops offering what the hold refuses.

create or replace function app.require_workflow_accepts(e app.workflow_executions, what text, verb text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if what not in ('action', 'draft') then
    raise exception 'app.require_workflow_accepts: what must be action or draft, not %', what using errcode = '22023';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'Cannot % this workflow: it is %', verb, app.status_words(e.status) using errcode = 'PT409',
      hint = 'Closed workflows cannot change. Add a task to the customer, or open a new workflow.';
  end if;
  if e.status = 'escalated' and what = 'action' then
    raise exception 'Cannot % this workflow: it is escalated and on hold', verb using errcode = 'PT409',
      hint = app.escalated_hint();
  end if;
end;
$$;
comment on function app.require_workflow_accepts(app.workflow_executions, text, text) is
  'The escalation hold and closed workflows, one rule: an action (state, work, proposals, forecast, outcome) needs an open, not escalated workflow; a draft an open one (PT409 otherwise).';
revoke execute on function app.require_workflow_accepts(app.workflow_executions, text, text) from public, anon;
grant execute on function app.require_workflow_accepts(app.workflow_executions, text, text) to authenticated, service_role;

-- create_task: a task on a workflow is work on it (restated from 20261204000700; the
-- workflow is read once and asked; the notification's generated title is fitted to the
-- title bound with app.fit_title, as migration 20261205223500 does for the action).
create or replace function public.create_task(
  title text,
  customer_id uuid,
  description text default null,
  execution_id uuid default null,
  task_type text default 'custom',
  priority text default 'medium',
  due_date timestamptz default null,
  assigned_to uuid default null
)
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
  if coalesce(btrim(create_task.title), '') = '' then
    raise exception 'title is required' using errcode = '22023';
  end if;
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
    -- Locked as the lifecycle RPCs lock it (the assignee's workload, then the row), so a
    -- close or an escalation committing now is waited for and seen, and one that starts
    -- now waits for this task (and counts it).
    perform app.lock_assignee_workload(v_execution.assigned_to);
    select * into v_execution from app.workflow_executions e where e.id = v_execution.id for update;
    perform app.require_workflow_accepts(v_execution, 'action', 'add a task to');
  end if;
  if not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
    raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
  end if;

  insert into app.workflow_tasks (org_id, customer_id, execution_id, title, description, task_type, priority,
                                  due_date, assigned_to, created_by)
  values (v_org, v_customer.id, create_task.execution_id, btrim(create_task.title), create_task.description,
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
comment on function public.create_task(text, uuid, text, uuid, text, text, timestamptz, uuid) is
  'Creates a task; assigning someone else notifies them. A task on a workflow needs it open and not escalated (PT409).';
revoke execute on function public.create_task(text, uuid, text, uuid, text, text, timestamptz, uuid) from public, anon;
grant execute on function public.create_task(text, uuid, text, uuid, text, text, timestamptz, uuid) to authenticated;

-- create_artifact: a draft needs an open workflow; the hold allows it (restated from
-- 20261204000800 with one call added).
create or replace function public.create_artifact(
  execution_id uuid,
  artifact_type text,
  title text,
  content jsonb,
  step_key text default null,
  task_id uuid default null,
  thread_id uuid default null,
  generated_by text default 'manual',
  ai_model text default null,
  ai_prompt text default null,
  metadata jsonb default '{}'::jsonb
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  execution app.workflow_executions;
begin
  perform app.check_new_artifact(create_artifact.artifact_type, create_artifact.title, create_artifact.content);
  if create_artifact.generated_by is null or create_artifact.generated_by not in ('manual', 'ai', 'template') then
    raise exception 'generated_by must be manual, ai or template' using errcode = '22023', hint = 'Leave it out for manual.';
  end if;
  -- What the assistant made is stored by the assistant (create_assistant_artifact, service
  -- role); a person's artifact never claims to be the model's.
  if create_artifact.generated_by = 'ai' then
    raise exception 'Only the assistant can create AI artifacts' using errcode = '42501',
      hint = 'Leave generated_by out (manual) or use template; the assistant''s drafts and summaries come through chat.';
  end if;
  if create_artifact.ai_model is not null or create_artifact.ai_prompt is not null then
    raise exception 'ai_model and ai_prompt are recorded only for AI artifacts' using errcode = '22023',
      hint = 'Leave ai_model and ai_prompt out.';
  end if;
  perform app.check_artifact_metadata(create_artifact.metadata);

  select e.* into execution from app.workflow_executions e where e.id = create_artifact.execution_id;
  perform app.require_found(found, 'Workflow execution', 'execution', 'workflows');
  if not app.can_work_on_execution(execution.id) then
    raise exception 'You may not add artifacts to this workflow' using errcode = '42501',
      hint = 'Only the CSM assigned to the workflow, a manager or an admin can add artifacts.';
  end if;
  -- Locked as create_task locks it, so a close committing now is seen.
  perform app.lock_assignee_workload(execution.assigned_to);
  select e.* into execution from app.workflow_executions e where e.id = execution.id for update;
  perform app.require_workflow_accepts(execution, 'draft', 'add an artifact to');
  if create_artifact.thread_id is not null and not exists (
    select 1 from app.workflow_chat_threads t
     where t.id = create_artifact.thread_id and t.execution_id = execution.id and t.org_id = execution.org_id
  ) then
    raise exception 'thread_id is not a chat thread of this workflow' using errcode = '22023',
      hint = 'Pass a thread of the same execution, or leave thread_id out.';
  end if;
  if create_artifact.task_id is not null and not exists (
    select 1 from app.workflow_tasks k where k.id = create_artifact.task_id and k.org_id = execution.org_id
  ) then
    raise exception 'task_id is not a task of your organisation' using errcode = '22023',
      hint = 'Pass the id of an existing task, or leave task_id out.';
  end if;

  return app.store_new_artifact(
    execution.org_id, execution.id, create_artifact.step_key, create_artifact.task_id, create_artifact.thread_id,
    create_artifact.artifact_type, create_artifact.title, create_artifact.content,
    create_artifact.generated_by, create_artifact.ai_model, create_artifact.ai_prompt, (select auth.uid()),
    coalesce(create_artifact.metadata, '{}'::jsonb));
end;
$$;
revoke execute on function public.create_artifact(uuid, text, text, jsonb, text, uuid, uuid, text, text, text, jsonb) from public, anon;
grant execute on function public.create_artifact(uuid, text, text, jsonb, text, uuid, uuid, text, text, text, jsonb) to authenticated;
comment on function public.create_artifact(uuid, text, text, jsonb, text, uuid, uuid, text, text, text, jsonb) is
  'Creates a person''s artifact of an open workflow (version 1, unapproved; manual or template, never ai); allowed while escalated, PT409 once closed.';

-- create_assistant_artifact: the assistant's draft in a chat reply is a draft like a
-- person's (an open workflow); the summary of a completed chat is not refused (restated
-- from 20261204000800 with one check added).
create or replace function public.create_assistant_artifact(
  thread_id uuid,
  author_id uuid,
  artifact_type text,
  title text,
  content jsonb,
  ai_model text,
  ai_prompt text default null,
  message_id uuid default null,
  metadata jsonb default '{}'::jsonb
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  thread app.workflow_chat_threads;
  source jsonb;
  v_execution app.workflow_executions;
begin
  if create_assistant_artifact.thread_id is null or create_assistant_artifact.author_id is null then
    raise exception 'thread_id and author_id are required' using errcode = '22023',
      hint = 'Pass the chat thread the artifact comes from and the person the assistant works for.';
  end if;
  perform app.check_new_artifact(create_assistant_artifact.artifact_type, create_assistant_artifact.title, create_assistant_artifact.content);
  perform app.check_artifact_metadata(create_assistant_artifact.metadata);

  if create_assistant_artifact.message_id is not null then
    -- A tool call of the reply being answered (takes the thread's writer lock).
    perform app.assistant_reply_in_flight(create_assistant_artifact.thread_id, create_assistant_artifact.message_id);
    select t.* into thread from app.workflow_chat_threads t where t.id = create_assistant_artifact.thread_id;
    source := jsonb_build_object('source', 'chat', 'message_id', create_assistant_artifact.message_id);
  else
    -- The summary of a completed thread, once.
    perform pg_advisory_xact_lock(hashtextextended('app.workflow_chat_threads:' || create_assistant_artifact.thread_id::text, 0));
    select t.* into thread from app.workflow_chat_threads t where t.id = create_assistant_artifact.thread_id;
    perform app.require_found(found, 'Chat thread', 'thread', 'threads');
    if thread.status <> 'completed' or create_assistant_artifact.artifact_type <> 'summary' then
      raise exception 'Without a reply being answered, the assistant only writes the summary of a completed chat' using errcode = 'PT409',
        hint = 'Pass the pending assistant message, or complete the thread first.';
    end if;
    if exists (select 1 from app.workflow_task_artifacts a
                where a.thread_id = thread.id and a.artifact_type = 'summary' and a.generated_by = 'ai') then
      raise exception 'This chat already has its summary' using errcode = 'PT409', hint = 'Use the stored summary.';
    end if;
    source := jsonb_build_object('source', 'complete-thread');
  end if;

  if not exists (
    select 1
      from app.workflow_executions e
      join app.profiles p on p.id = create_assistant_artifact.author_id and p.org_id = e.org_id
     where e.id = thread.execution_id
       and (p.role in ('manager', 'admin') or (p.role = 'csm' and (e.assigned_to is null or e.assigned_to = p.id)))
  ) then
    raise exception 'This person may not work on this chat' using errcode = '42501',
      hint = 'The author must be the CSM assigned to the workflow, a manager or an admin of its organisation.';
  end if;
  if create_assistant_artifact.message_id is not null then
    select x.* into v_execution from app.workflow_executions x where x.id = thread.execution_id;
    perform app.require_workflow_accepts(v_execution, 'draft', 'add a draft to');
  end if;

  return app.store_new_artifact(
    thread.org_id, thread.execution_id, thread.step_key, null, thread.id,
    create_assistant_artifact.artifact_type, create_assistant_artifact.title, create_assistant_artifact.content,
    'ai', create_assistant_artifact.ai_model, create_assistant_artifact.ai_prompt, create_assistant_artifact.author_id,
    coalesce(create_assistant_artifact.metadata, '{}'::jsonb) || source);
end;
$$;
comment on function public.create_assistant_artifact(uuid, uuid, text, text, jsonb, text, text, uuid, jsonb) is
  'Service role only (chat and complete-thread functions): stores an AI artifact of a thread, for the person the assistant works for (version 1, unapproved); a chat draft needs an open workflow.';
revoke execute on function public.create_assistant_artifact(uuid, uuid, text, text, jsonb, text, text, uuid, jsonb) from public, anon, authenticated;
grant execute on function public.create_assistant_artifact(uuid, uuid, text, text, jsonb, text, text, uuid, jsonb) to service_role;

-- propose_action: a proposal asks a person to run an action, so it follows the hold
-- (restated from 20261204000800; the open-status check replaced by the rule).
create or replace function public.propose_action(
  action_key text,
  rationale text,
  params jsonb default '{}'::jsonb,
  execution_id uuid default null,
  thread_id uuid default null,
  message_id uuid default null,
  author_id uuid default null,
  source text default null,
  source_ref text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
#variable_conflict use_column
declare
  e app.workflow_executions;
  author app.profiles;
  p app.action_proposals;
  v_source text := coalesce(propose_action.source, case when propose_action.thread_id is not null then 'thread' else 'agent' end);
  v_author uuid := app.proposal_author_id(v_source, propose_action.author_id);
  v_execution uuid;
  v_params jsonb := coalesce(propose_action.params, '{}'::jsonb);
  v_action_name text;
begin
  if coalesce(btrim(propose_action.rationale), '') = '' or length(propose_action.rationale) > 2000 then
    raise exception 'rationale is required (at most 2000 characters): why this action helps' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  v_execution := app.proposal_execution_id(v_source, propose_action.execution_id, propose_action.thread_id, propose_action.message_id);
  if v_execution is null then
    raise exception 'execution_id is required' using errcode = '22023';
  end if;
  select * into e from app.workflow_executions x where x.id = v_execution;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  author := app.proposal_author(e, v_author);
  perform app.require_workflow_accepts(e, 'action', 'propose an action on');
  v_action_name := app.available_action_name(propose_action.action_key, e.org_id);

  insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, thread_id, message_id,
                                    source_ref, proposed_for)
  values (e.org_id, e.id, propose_action.action_key, v_params, btrim(propose_action.rationale), v_source,
          propose_action.thread_id, propose_action.message_id, left(nullif(btrim(propose_action.source_ref), ''), 200), author.id)
  on conflict (execution_id, action_key, md5(params::text)) where status = 'proposed' do nothing
  returning * into p;
  if p.id is null then
    -- The same suggestion is already waiting: return it, notify nobody again.
    select * into p from app.action_proposals x
     where x.execution_id = e.id and x.action_key = propose_action.action_key and x.params = v_params and x.status = 'proposed';
    return app.proposal_json(p) || jsonb_build_object('duplicate', true);
  end if;
  perform app.notify_proposal(p, e, author.id, v_action_name);
  return app.proposal_json(p) || jsonb_build_object('duplicate', false);
end;
$$;
comment on function public.propose_action(text, text, jsonb, uuid, uuid, uuid, uuid, text, text) is
  'Stores an AI proposal for a person to decide; executes nothing. Chat and brief proposals: the service role (author_id); agents: the person''s own token. Not on an escalated or closed workflow (PT409).';
revoke execute on function public.propose_action(text, text, jsonb, uuid, uuid, uuid, uuid, text, text) from public, anon;
grant execute on function public.propose_action(text, text, jsonb, uuid, uuid, uuid, uuid, text, text) to authenticated, service_role;

-- set_renewal_forecast's guard: the open renewal the caller may change, not on hold
-- (restated from 20261204001100 with the rule added after its own checks).
create or replace function app.require_open_renewal(execution_id uuid, verb text)
returns app.workflow_executions
language plpgsql
stable
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  e := app.require_workable_execution(require_open_renewal.execution_id, require_open_renewal.verb);
  if e.renewal_stage is null then
    raise exception 'This workflow is not a renewal' using errcode = '22023',
      hint = 'Pass the execution id of the customer''s open renewal workflow.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'This renewal workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'Use the customer''s open renewal; a closed one keeps its forecast and outcome.';
  end if;
  perform app.require_workflow_accepts(e, 'action', require_open_renewal.verb);
  return e;
end;
$$;
grant execute on function app.require_open_renewal(uuid, text) to authenticated, service_role;

-- record_renewal_outcome's guard: the hold is the rule's PT409 for everyone, where it was
-- 42501 for the CSM and nothing for a manager (restated from 20261204001100).
create or replace function app.lock_open_renewal_execution(execution_id uuid)
returns app.workflow_executions
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  select * into e from app.workflow_executions x where x.id = lock_open_renewal_execution.execution_id for update;
  if not found or e.org_id is distinct from app.current_org_id() then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  if not app.can_work_on_execution(e.id) then
    raise exception 'You may not record the outcome of this renewal' using errcode = '42501',
      hint = 'Only its assigned CSM, a manager or an admin can.';
  end if;
  if e.renewal_stage is null then
    raise exception 'This workflow is not a renewal' using errcode = '22023',
      hint = 'Pass the execution id of the customer''s open renewal workflow.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'This renewal workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'An outcome is recorded once, on the open renewal.';
  end if;
  perform app.require_workflow_accepts(e, 'action', 'record the outcome of');
  return e;
end;
$$;
revoke execute on function app.lock_open_renewal_execution(uuid) from public, anon, authenticated;

-- The forecast's items say which open renewals are on hold (escalated), so the web app
-- stops offering the forecast and outcome the hold refuses (restated from
-- 20261204001100 with one field added, `on_hold`).
create or replace function app.forecast_items(
  org_id uuid, assignee_id uuid, items_start date, items_end date, category text,
  after_date date, after_name text, after_id uuid, max_items integer)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_max integer := forecast_items.max_items;
  v_result jsonb;
begin
  with page as materialized (
    select * from app.forecast_page_rows(forecast_items.org_id, forecast_items.assignee_id, forecast_items.items_start,
                                         forecast_items.items_end, forecast_items.category, forecast_items.after_date,
                                         forecast_items.after_name, forecast_items.after_id, v_max)
  )
  select jsonb_build_object(
    'next_after', (select case when count(*) = v_max and v_max > 0 then
                              (array_agg(jsonb_build_object('renewal_date', p.renewal_date, 'name', p.name, 'customer_id', p.customer_id)
                                         order by p.renewal_date desc, p.name desc, p.customer_id desc))[1] end
                     from page p),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'state', p.state,
               'execution_id', p.execution_id,
               -- an open renewal whose workflow is escalated: no forecast or outcome until
               -- the escalation is decided (app.require_workflow_accepts), so the web app
               -- offers neither (a primary-key probe per item, at most a page)
               'on_hold', p.state = 'open' and exists (select 1 from app.workflow_executions x
                                                        where x.id = p.execution_id and x.status = 'escalated'),
               'customer', case when p.state = 'open'
                             then jsonb_build_object('id', p.customer_id, 'name', p.name, 'health_score', p.health_score,
                                                     'risk_score', p.risk_score, 'account_plan', p.account_plan)
                             else jsonb_build_object('id', p.customer_id, 'name', p.name) end,
               'renewal_date', p.renewal_date,
               'decision_date', p.decision_date,
               'assignee_id', p.assigned_to,
               'category', p.category,
               'category_source', p.category_source,
               'current_arr', p.current_arr,
               'forecast_arr', p.forecast_arr,
               'note', p.note,
               'set_by', p.set_by,
               'set_at', p.set_at,
               'outcome', case when p.state = 'closed' then jsonb_build_object(
                            'outcome', p.category, 'previous_arr', p.current_arr, 'new_arr', p.forecast_arr,
                            'recorded_by', p.set_by, 'recorded_at', p.set_at,
                            'forecast_category', p.forecast_category, 'forecast_arr', p.forecast_arr_at_close) end)
             order by p.renewal_date, p.name, p.customer_id)
        from page p), '[]'::jsonb)
  ) into v_result;
  return v_result;
end;
$$;
revoke execute on function app.forecast_items(uuid, uuid, date, date, text, date, text, uuid, integer)
  from public, anon, authenticated;

-- A closed workflow's drafts stay as it closed with them: their title, content and
-- approval no longer change (PT409, the same rule), on every path — an edit, an approval
-- or its withdrawal. Sending is refused already (execute_action on a closed workflow).
create or replace function app.artifacts_of_closed_workflows_stay()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  select * into e from app.workflow_executions x where x.id = new.execution_id and x.org_id = new.org_id;
  if found then
    perform app.require_workflow_accepts(e, 'draft', 'change a draft of');
  end if;
  return new;
end;
$$;
comment on function app.artifacts_of_closed_workflows_stay() is
  'Trigger: the drafts of a closed workflow keep their text and approval (PT409).';

create trigger workflow_task_artifacts_of_closed_workflows_stay
  before update of title, content, approved_by on app.workflow_task_artifacts
  for each row
  when (new.title is distinct from old.title or new.content is distinct from old.content
        or new.approved_by is distinct from old.approved_by)
  execute function app.artifacts_of_closed_workflows_stay();
