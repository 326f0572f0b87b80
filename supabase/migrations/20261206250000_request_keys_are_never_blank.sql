-- A request's key (an idempotency key, a chat message's client_message_id, a webhook-id)
-- is never blank, whatever the blank characters are (docs/api-contract.md, idempotency).
--
-- What and why: the keys were checked with btrim(), which strips spaces only. A key of
-- "   " was refused (22023), but a key of a tab, a line break, a no-break space or a
-- zero-width space (U+200B) was taken and stored: a key nobody can read or tell apart
-- from another, and one the web app's own check (JavaScript's trim) would call empty.
-- The rule is now one helper, app.check_request_key: a key is 1 to max_length
-- characters and not blank by app.trimmed (the blank-text rule of migration
-- 20261206226000). It is used wherever a key is taken:
-- - execute_action's and decide_proposal's idempotency_key;
-- - choose_chat_branch's idempotency_key, checked before it is looked up for a replay
--   (before, a blank key went on to the lookup and only execute_action refused it);
-- - post_chat_message's client_message_id;
-- - ingest's webhook-id (app.ingest_check_delivery; an HTTP header can carry a
--   no-break space, byte A0).
-- The stored keys are unchanged (a key is compared as sent; only blank ones are
-- refused), so every replay of an accepted request still finds its first answer.
-- Functions restated whole from their latest definitions (execute_action 20261206225000,
-- decide_proposal 20261206232000, post_chat_message 20261206226000, choose_chat_branch
-- 20261206244100, ingest_check_delivery 20261204000900); the key check is the only change.
-- supabase/tests/required_text/request_keys_are_never_blank.test.sql sends each of them blanks.

-- Refuses a key that is blank or longer than max_length (22023 naming it); null passes
-- (an optional key left out). Required keys pass '' for a missing one.
create or replace function app.check_request_key(value text, name text, max_length integer, hint text default null)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if check_request_key.value is not null
     and (app.trimmed(check_request_key.value) is null or length(check_request_key.value) > check_request_key.max_length) then
    raise exception '% must be 1 to % characters, not only whitespace', check_request_key.name, check_request_key.max_length
      using errcode = '22023',
      hint = coalesce(check_request_key.hint,
        'Send a generated id (a UUID) per request, and the same one only to retry that request.');
  end if;
end;
$$;
revoke execute on function app.check_request_key(text, text, integer, text) from public, anon;
grant execute on function app.check_request_key(text, text, integer, text) to authenticated, service_role;

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
    raise exception 'action_key "%" is not an action available to your organisation', execute_action.action_key
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

create or replace function public.decide_proposal(
  proposal_id uuid,
  approve boolean,
  params jsonb default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  p app.action_proposals;
  v_params jsonb;
  v_action jsonb;
  v_key text := decide_proposal.idempotency_key;
begin
  if decide_proposal.proposal_id is null or decide_proposal.approve is null then
    raise exception 'proposal_id and approve are required' using errcode = '22023';
  end if;
  if decide_proposal.params is not null and jsonb_typeof(decide_proposal.params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  perform app.check_request_key(v_key, 'idempotency_key', 200);
  if not decide_proposal.approve and decide_proposal.params is not null then
    raise exception 'params are for an approval; a rejection executes nothing' using errcode = '22023';
  end if;

  -- Serialised per person and key, so two decisions sent at once with one key cannot both
  -- take it (checked below, once the proposal is known to exist and be the caller's to decide).
  if v_key is not null then
    perform pg_catalog.pg_advisory_xact_lock(
      pg_catalog.hashtextextended('renubu.decision-key:' || (select auth.uid()) || ':' || v_key, 0));
  end if;

  p := app.lock_proposal_for_decision(decide_proposal.proposal_id);

  -- A key names one decision: the same person's key already on another proposal is another
  -- request (PT409), as execute_action's is.
  if v_key is not null and exists (select 1 from app.action_proposals x
                                    where x.decided_by = (select auth.uid()) and x.idempotency_key = v_key
                                      and x.id <> p.id) then
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Use a new idempotency key for each decision; a retry repeats the same decision on the same proposal.';
  end if;

  if p.status <> 'proposed' then
    -- The same decision again, by the same person with the same key: its stored outcome.
    if p.decided_by = (select auth.uid()) and v_key is not null and p.idempotency_key = v_key
       and (p.status = 'approved') = decide_proposal.approve then
      -- … with the same params (none sent means the proposal's own, as on approval)
      if decide_proposal.approve and coalesce(decide_proposal.params, p.params) is distinct from p.decided_params then
        raise exception 'this key was used for a different request' using errcode = 'PT409',
          hint = 'A retry repeats the same decision with the same params; a new decision needs a new idempotency key.';
      end if;
      return jsonb_build_object('proposal', app.proposal_json(p), 'action', case when p.action_execution_id is null then null
               else public.execute_action(p.action_key, p.execution_id, p.decided_params, 'proposal:' || p.id) end,
               'replayed', true);
    end if;
    raise exception 'This proposal was already %', p.status using errcode = 'PT409',
      hint = 'Only a proposal still waiting can be approved or rejected.';
  end if;
  if p.expires_at <= now() then
    raise exception 'This proposal expired on %', to_char(p.expires_at, 'YYYY-MM-DD') using errcode = 'PT409',
      hint = 'Ask the assistant again, or run the action yourself.';
  end if;

  if decide_proposal.approve then
    v_params := coalesce(decide_proposal.params, p.params);
    -- The action's own key is the proposal's: one proposal is executed at most once.
    v_action := public.execute_action(p.action_key, p.execution_id, v_params, 'proposal:' || p.id);
    p := app.record_proposal_decision(p.id, true, v_params, (v_action ->> 'action_execution_id')::uuid, v_key);
  else
    p := app.record_proposal_decision(p.id, false, null, null, v_key);
  end if;
  return jsonb_build_object('proposal', app.proposal_json(p), 'action', v_action, 'replayed', false);
end;
$$;

create or replace function public.post_chat_message(thread_id uuid, content text, client_message_id text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  thread app.workflow_chat_threads;
  replayed jsonb;
  prompt jsonb;
begin
  if app.trimmed(post_chat_message.content) is null then
    raise exception 'content must not be empty' using errcode = '22023', hint = 'Type a message.';
  end if;
  if length(post_chat_message.content) > 20000 then
    raise exception 'content is longer than 20000 characters' using errcode = '22023', hint = 'Shorten the message.';
  end if;
  perform app.check_request_key(coalesce(post_chat_message.client_message_id, ''), 'client_message_id', 200,
    'Generate one id per message on the client (a UUID) and reuse it when retrying the same send.');

  thread := app.chat_thread_for_write(post_chat_message.thread_id);
  replayed := app.replayed_chat_exchange(thread.id, post_chat_message.client_message_id);
  if replayed is not null then
    -- a retry sends the same message; another text under the same id is another request
    if replayed -> 'user_message' ->> 'content' is distinct from post_chat_message.content then
      raise exception 'this client_message_id was used for a different message' using errcode = 'PT409',
        hint = 'Generate a new client_message_id for each new message; reuse one only to retry the same send.';
    end if;
    return replayed;
  end if;
  if thread.status <> 'active' then
    raise exception 'This chat is %', thread.status using errcode = 'PT409',
      hint = 'Start a new chat for this step to keep talking.';
  end if;
  -- The prompt before the pair is stored: its history is the earlier turns.
  prompt := app.chat_prompt_for(thread, post_chat_message.content);
  -- The thread's totals are updated when the reply finishes (both messages at once).
  return app.insert_chat_exchange(thread, post_chat_message.content, post_chat_message.client_message_id)
         || jsonb_build_object('prompt', prompt);
end;
$$;

create or replace function public.choose_chat_branch(execution_id uuid, step_key text, branch_key text, params jsonb default null, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  b app.workflow_chat_branches;
  v_params jsonb;
  v_outcome jsonb;
  v_action jsonb;
  v_followed record;  -- (action, route)
begin
  if coalesce(btrim(choose_chat_branch.step_key), '') = '' or coalesce(btrim(choose_chat_branch.branch_key), '') = '' then
    raise exception 'step_key and branch_key are required' using errcode = '22023',
      hint = 'Pass the step shown and the key of the branch chosen (get_workflow_execution lists them).';
  end if;
  if choose_chat_branch.params is not null and jsonb_typeof(choose_chat_branch.params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  perform app.check_request_key(choose_chat_branch.idempotency_key, 'idempotency_key', 200);
  e := app.lock_execution(choose_chat_branch.execution_id, 'work on');
  b := app.routing_branch(e, choose_chat_branch.step_key, choose_chat_branch.branch_key);
  -- A fixed answer routes and runs nothing: params sent with it would be dropped unread.
  if b.branch_type = 'fixed' and coalesce(choose_chat_branch.params, '{}'::jsonb) <> '{}'::jsonb then
    raise exception 'params are for a branch that runs a saved action; branch "%" is a fixed answer', b.branch_key
      using errcode = '22023', hint = 'Leave params out when following a fixed answer.';
  end if;
  v_params := app.branch_defaults_within_limits(b, e.org_id) || coalesce(choose_chat_branch.params, '{}'::jsonb);

  -- A replayed confirmation: the action's stored result, nothing applied or routed again.
  if b.branch_type = 'saved_action' and choose_chat_branch.idempotency_key is not null and exists (
       select 1 from app.action_executions x
        where x.org_id = e.org_id and x.executed_by = (select auth.uid())
          and x.idempotency_key = choose_chat_branch.idempotency_key) then
    v_action := public.execute_action(b.saved_action_key, e.id, v_params, choose_chat_branch.idempotency_key);
    return jsonb_build_object('branch', jsonb_build_object('key', b.branch_key, 'type', b.branch_type, 'label', b.label),
      'step_key', b.step_key, 'action', v_action, 'route', null, 'replayed', true,
      'execution', app.execution_summary(e.id));
  end if;

  perform app.lock_current_step_for_branch(e, b.step_key);
  v_outcome := jsonb_build_object('branch_key', b.branch_key, 'branch_type', b.branch_type);
  if b.branch_type = 'fixed' then
    select null::jsonb as action, app.follow_fixed_branch(e, b, v_outcome) as route into v_followed;
  else
    select * into v_followed from app.follow_saved_action_branch(e, b, v_params, choose_chat_branch.idempotency_key, v_outcome);
  end if;

  return jsonb_build_object(
    'branch', jsonb_build_object('key', b.branch_key, 'type', b.branch_type, 'label', b.label),
    'step_key', b.step_key,
    'response_text', b.response_text,
    'action', v_followed.action,
    'route', v_followed.route,
    'replayed', false,
    'execution', app.execution_summary(e.id));
end;
$$;

create or replace function app.ingest_check_delivery(org_id uuid, webhook_id text, events jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
begin
  if org_id is null then
    raise exception 'org_id is required' using errcode = '22023', hint = 'Pass the organisation the webhook was signed for.';
  end if;
  perform app.check_request_key(coalesce(webhook_id, ''), 'webhook_id', 255, 'Pass the webhook-id header of the delivery.');
  if events is null or jsonb_typeof(events) <> 'array' or jsonb_array_length(events) = 0 then
    raise exception 'events must be a non-empty array' using errcode = '22023';
  end if;
  if jsonb_array_length(events) > 1000 then
    raise exception 'events holds % events; at most 1000 are allowed per delivery', jsonb_array_length(events)
      using errcode = '22023', hint = 'Split the delivery into batches of 1000 events or fewer.';
  end if;
  perform 1 from app.organisations o where o.id = org_id;
  if not found then
    raise exception 'Organisation not found' using errcode = 'PT404';
  end if;
end;
$$;
