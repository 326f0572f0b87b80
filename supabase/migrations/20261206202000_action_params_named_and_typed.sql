-- An action takes the parameters its kind defines, each of its type (docs/business-rules.md
-- "Actions"; docs/api-contract.md "Errors").
--
-- What and why: an attacker's review found that execute_action and propose_action kept
-- whatever params they were sent and read only the keys they knew. A create_task with
-- `"assignee": "maria@…"` (the key is assigned_to) went to the caller, silently, while the
-- workflow's history showed the `assignee` as if it had counted; a proposal could carry
-- keys its approver took to matter. Text read with `->>` turned an object or a list into
-- its JSON text (a task titled `{"x": [1, 2]}`), a due date sent as the number 20261220
-- became 20 December, and `"tomorrow"` or `"2026-12-20 J"` passed for ISO 8601. The
-- workflow editor already refused a branch default that is not a parameter of its action.
--   * app.action_param_names: the parameters of each kind of action (a custom action takes
--     any: it carries what its integration needs).
--   * app.require_action_params: 22023 for a key that is not one of them (naming it and
--     listing the ones the action takes), for text sent as anything but a string, for
--     attendees that are not a list of strings and for a resend that is not true or false.
--     execute_action and propose_action ask it before anything is written; decide_proposal
--     and a workflow branch's saved action run through execute_action.
--   * app.timestamp_param takes only ISO 8601 text (a date, or a date and time with an
--     optional zone), no longer every form Postgres reads ('tomorrow', 'epoch', Julian days).

create or replace function app.action_param_names(action_type text)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case action_param_names.action_type
    when 'snooze' then array['days', 'reason']
    when 'skip' then array['reason', 'note', 'step_key']
    when 'escalate' then array['level', 'reason']
    when 'schedule_meeting' then array['duration_minutes', 'title', 'scheduled_at', 'attendees']
    when 'send_email' then array['artifact_id', 'to', 'cc', 'subject', 'resend']
    when 'create_task' then array['task_type', 'title', 'description', 'priority', 'due_date', 'assigned_to']
  end;  -- null: a custom action, which takes any
end;
$$;
comment on function app.action_param_names(text) is
  'The parameters each kind of action takes; null for a custom action, which takes any.';
revoke execute on function app.action_param_names(text) from public, anon;
grant execute on function app.action_param_names(text) to authenticated, service_role;

-- The two checks every params object of a request gets (actions here, tasks in migration
-- 20261206204000): only the keys it takes, and text as JSON strings. `what` names the
-- request in the message ("the snooze action").
create or replace function app.require_params_of(params jsonb, allowed text[], what text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text;
begin
  select k into v_key from jsonb_object_keys(require_params_of.params) k
   where k <> all(require_params_of.allowed) order by k limit 1;
  if found then
    raise exception 'params.% is not a parameter of %', v_key, require_params_of.what using errcode = '22023',
      hint = case when cardinality(require_params_of.allowed) = 0 then 'It takes none.'
                  else format('It takes %s.', array_to_string(require_params_of.allowed, ', ')) end;
  end if;
end;
$$;
revoke execute on function app.require_params_of(jsonb, text[], text) from public, anon;
grant execute on function app.require_params_of(jsonb, text[], text) to authenticated, service_role;

-- Text, dates and ids travel as JSON strings (or null): an object or a number is a mistake
-- to name, not a value to turn into its JSON text. `prefix` is the argument ("params").
create or replace function app.require_text_params(params jsonb, keys text[], prefix text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text;
begin
  select x.key into v_key from jsonb_each(require_text_params.params) x
   where x.key = any(require_text_params.keys) and jsonb_typeof(x.value) not in ('string', 'null')
   order by x.key limit 1;
  if found then
    raise exception '%.% must be text', require_text_params.prefix, v_key using errcode = '22023';
  end if;
end;
$$;
revoke execute on function app.require_text_params(jsonb, text[], text) from public, anon;
grant execute on function app.require_text_params(jsonb, text[], text) to authenticated, service_role;

create or replace function app.require_action_params(action_type text, params jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_names constant text[] := app.action_param_names(require_action_params.action_type);
begin
  if v_names is null then
    return;
  end if;
  perform app.require_params_of(require_action_params.params, v_names,
                                format('the %s action', replace(require_action_params.action_type, '_', ' ')));
  perform app.require_text_params(require_action_params.params,
    array['reason', 'note', 'step_key', 'level', 'title', 'description', 'task_type', 'priority',
          'subject', 'scheduled_at', 'due_date', 'artifact_id', 'assigned_to'], 'params');
  if jsonb_typeof(require_action_params.params -> 'attendees') not in ('array', 'null')
     or exists (select 1 from jsonb_array_elements(case when jsonb_typeof(require_action_params.params -> 'attendees') = 'array'
                                                        then require_action_params.params -> 'attendees' end) a
                 where jsonb_typeof(a) <> 'string') then
    raise exception 'params.attendees must be a list of email addresses' using errcode = '22023';
  end if;
  if jsonb_typeof(require_action_params.params -> 'resend') not in ('boolean', 'null') then
    raise exception 'params.resend must be true or false' using errcode = '22023';
  end if;
end;
$$;
comment on function app.require_action_params(text, jsonb) is
  'Refuses (22023) a parameter the action does not take, or one of the wrong type.';
revoke execute on function app.require_action_params(text, jsonb) from public, anon;
grant execute on function app.require_action_params(text, jsonb) to authenticated, service_role;

-- The saved action a key names for an organisation (its own before the core one), or
-- 22023. app.available_action_name is restated on it, so the lookup is written once.
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
    raise exception 'action_key "%" is not an action available to this organisation', available_action.action_key
      using errcode = '22023', hint = 'Use one of list_saved_actions.';
  end if;
  return a;
end;
$$;
revoke execute on function app.available_action(text, uuid) from public, anon;
grant execute on function app.available_action(text, uuid) to authenticated, service_role;

create or replace function app.available_action_name(action_key text, org_id uuid)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  return (app.available_action(available_action_name.action_key, available_action_name.org_id)).name;
end;
$$;

-- Restated whole; a parameter is now ISO 8601 text or refused.
create or replace function app.timestamp_param(params jsonb, name text)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  raw text := timestamp_param.params ->> timestamp_param.name;
  v_value timestamptz;
begin
  if raw is null or btrim(raw) = '' then
    return null;
  end if;
  -- ISO 8601 only: a date, or a date and time with an optional zone (Postgres would also read
  -- 'tomorrow', 'epoch' or a Julian day).
  if raw !~ '^\s*\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?\s*([Zz]|[+-]\d{2}(:?\d{2})?)?)?\s*$' then
    raise exception '% must be a date and time (ISO 8601)', timestamp_param.name using errcode = '22023',
      hint = 'Send e.g. 2026-12-31T09:00:00Z, or a date such as 2026-12-31.';
  end if;
  begin
    v_value := raw::timestamptz;
  exception when others then
    raise exception '% must be a date and time (ISO 8601)', timestamp_param.name using errcode = '22023';
  end;
  return app.require_business_time(v_value, timestamp_param.name);
end;
$$;

-- Restated whole; a new request's params are checked once its key is claimed, before anything is applied.
create or replace function public.execute_action(
  action_key text,
  execution_id uuid,
  params jsonb default '{}'::jsonb,
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
  if v_key is not null and (btrim(v_key) = '' or length(v_key) > 200) then
    raise exception 'idempotency_key must be 1 to 200 characters' using errcode = '22023';
  end if;
  select * into a from app.saved_actions s
   where s.key = execute_action.action_key and s.is_active and (s.org_id = v_org or s.org_id is null)
   order by s.org_id nulls last limit 1;
  if not found then
    raise exception 'action_key "%" is not an action available to your organisation', execute_action.action_key
      using errcode = '22023', hint = 'See list_saved_actions for the available keys.';
  end if;
  e := app.require_workable_execution(execute_action.execution_id, 'run actions on');

  -- Claim the idempotency key before anything else; a concurrent call with the same key
  -- waits here until this transaction ends, then replays.
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

  -- Guard: workload lock, then the row, then the state.
  perform app.lock_assignee_workload(e.assigned_to);
  select * into e from app.workflow_executions x where x.id = e.id for update;
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

-- Restated whole; the action is looked up once, and its params are checked as execute_action
-- will check them on approval.
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
  v_action app.saved_actions;
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
  v_action := app.available_action(propose_action.action_key, e.org_id);
  perform app.require_action_params(v_action.action_type, v_params);

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
  perform app.notify_proposal(p, e, author.id, v_action.name);
  return app.proposal_json(p) || jsonb_build_object('duplicate', false);
end;
$$;
