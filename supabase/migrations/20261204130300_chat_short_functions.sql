-- Chat and artifacts: long functions of 20261204000800_chat_and_artifacts.sql made short
-- (issue 17, point 3).
--
-- What: each long function becomes a guard/dispatcher over small functions with one job
-- each, named after what they do. Why: a reader can hold each piece in their head. The
-- answers and the errors (codes, messages, hints) are unchanged; so are the signatures,
-- security, volatility, grants and comments of the functions redefined here. The helpers
-- live in `app`, set search_path = '', run as the caller (RLS applies as before) and are
-- executable only by the callers' roles.


---------------------------------------------------------------------------------------
-- public.create_chat_thread: the open execution, its step, the branch (if any), then the
-- thread and its LLM context.
---------------------------------------------------------------------------------------

-- The execution a chat opens in: visible, workable by the caller, and open.
create or replace function app.open_execution_for_chat(execution_id uuid)
returns app.workflow_executions
language plpgsql
stable
set search_path = ''
as $$
declare
  execution app.workflow_executions;
begin
  select e.* into execution from app.workflow_executions e where e.id = open_execution_for_chat.execution_id;
  perform app.require_found(found, 'Workflow execution', 'execution', 'workflows');
  if not app.can_work_on_execution(execution.id) then
    raise exception 'You may not chat in this workflow' using errcode = '42501',
      hint = 'Only the CSM assigned to the workflow, a manager or an admin can start a chat in it.';
  end if;
  if execution.status not in ('queued', 'in_progress', 'snoozed', 'escalated') then
    raise exception 'This workflow is %, so no new chat can be started', execution.status using errcode = 'PT409',
      hint = 'Chats belong to open workflows; reopen or start a new workflow.';
  end if;
  return execution;
end;
$$;
revoke execute on function app.open_execution_for_chat(uuid) from public, anon;
grant execute on function app.open_execution_for_chat(uuid) to authenticated;

-- A step of the execution's workflow version (as in its config) and the workflow's name.
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
    raise exception 'step_key "%" is not a step of this workflow', execution_step_for_chat.step_key using errcode = '22023',
      hint = 'Use one of the step keys of the workflow execution.';
  end if;
end;
$$;
revoke execute on function app.execution_step_for_chat(app.workflow_executions, text) from public, anon;
grant execute on function app.execution_step_for_chat(app.workflow_executions, text) to authenticated;

-- The step's llm or rag branch a chat opens for.
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
    raise exception 'Branch "%" is not offered at this step', chat_branch_for_thread.branch_key using errcode = '22023',
      hint = 'Use one of the branches get_step_chat_branches returns for this step.';
  end if;
  if branch.branch_type not in ('llm', 'rag') then
    raise exception 'Branch "%" is a % branch and opens no chat', branch.label, branch.branch_type using errcode = '22023',
      hint = 'Choose fixed and saved-action branches with choose_chat_branch.';
  end if;
  return branch;
end;
$$;
revoke execute on function app.chat_branch_for_thread(uuid, text, text) from public, anon;
grant execute on function app.chat_branch_for_thread(uuid, text, text) to authenticated;

-- PT409 when the execution's step is completed or skipped.
create or replace function app.require_step_not_finished(execution app.workflow_executions, step_key text, step_title text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if exists (
    select 1 from app.workflow_step_executions se
     where se.execution_id = execution.id and se.org_id = execution.org_id
       and se.step_key = require_step_not_finished.step_key and se.status in ('completed', 'skipped')
  ) then
    raise exception 'Step "%" is already finished', step_title using errcode = 'PT409',
      hint = 'Open the chat of the current step instead.';
  end if;
end;
$$;
revoke execute on function app.require_step_not_finished(app.workflow_executions, text, text) from public, anon;
grant execute on function app.require_step_not_finished(app.workflow_executions, text, text) to authenticated;

-- The thread's LLM context: its system prompt and tools, the customer snapshot, and the
-- organisation's model settings.
create or replace function app.insert_thread_llm_context(thread app.workflow_chat_threads, system_prompt text, context jsonb)
returns app.workflow_llm_context
language plpgsql
set search_path = ''
as $$
declare
  settings jsonb := (select os.settings from app.organisation_settings os where os.org_id = thread.org_id);
  llm app.workflow_llm_context;
begin
  insert into app.workflow_llm_context (org_id, thread_id, system_prompt, tools, customer_context, model, temperature, max_tokens)
  values (
    thread.org_id,
    thread.id,
    system_prompt,
    app.assistant_tools(),
    context,
    coalesce(settings ->> 'llm_model', 'llama3.1:8b'),
    coalesce((settings ->> 'llm_temperature')::numeric, 0.3),
    coalesce((settings ->> 'llm_max_tokens')::integer, 1024)
  )
  returning * into llm;
  return llm;
end;
$$;
revoke execute on function app.insert_thread_llm_context(app.workflow_chat_threads, text, jsonb) from public, anon;
grant execute on function app.insert_thread_llm_context(app.workflow_chat_threads, text, jsonb) to authenticated;

create or replace function public.create_chat_thread(
  execution_id uuid,
  step_key text,
  thread_type text default 'llm',
  branch_key text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  execution app.workflow_executions;
  step record;  -- (step, workflow_name)
  step_title text;
  branch app.workflow_chat_branches;
  kind text := create_chat_thread.thread_type;
  template text;
  off_script boolean := true;
  purpose text;
  context jsonb;
  thread app.workflow_chat_threads;
  llm app.workflow_llm_context;
begin
  if create_chat_thread.execution_id is null then
    raise exception 'execution_id is required' using errcode = '22023', hint = 'Pass the id of a workflow execution.';
  end if;
  if create_chat_thread.step_key is null or btrim(create_chat_thread.step_key) = '' then
    raise exception 'step_key is required' using errcode = '22023', hint = 'Pass the key of a step of the workflow.';
  end if;
  if kind is null or kind not in ('llm', 'rag', 'analysis', 'custom') then
    raise exception 'thread_type must be one of llm, rag, analysis, custom' using errcode = '22023',
      hint = 'Leave thread_type out for an ordinary assistant chat (llm).';
  end if;
  execution := app.open_execution_for_chat(create_chat_thread.execution_id);
  step := app.execution_step_for_chat(execution, create_chat_thread.step_key);
  step_title := coalesce(step.step ->> 'title', create_chat_thread.step_key);
  template := step.step ->> 'prompt_template';

  if create_chat_thread.branch_key is not null then
    branch := app.chat_branch_for_thread(execution.workflow_version_id, create_chat_thread.step_key, create_chat_thread.branch_key);
    kind := branch.branch_type;
    template := coalesce(nullif(btrim(branch.prompt_template), ''), template);
    off_script := branch.allow_off_script;
    purpose := concat_ws(' — ', step_title, nullif(branch.label, ''), nullif(btrim(coalesce(branch.prompt_template, step.step ->> 'prompt_template')), ''));
  end if;
  perform app.require_step_not_finished(execution, create_chat_thread.step_key, step_title);

  context := app.chat_customer_context(execution.id);
  insert into app.workflow_chat_threads (org_id, execution_id, step_key, thread_type, title, started_by, metadata)
  values (execution.org_id, execution.id, create_chat_thread.step_key, kind,
          coalesce(nullif(branch.label, ''), step_title), (select auth.uid()),
          case when branch.id is not null
               then jsonb_build_object('branch_key', branch.branch_key, 'allow_off_script', off_script)
               else '{}'::jsonb end)
  returning * into thread;
  llm := app.insert_thread_llm_context(thread,
           app.chat_thread_prompt(step.workflow_name, step_title, template, context, kind, off_script, purpose), context);

  return app.chat_thread_json(thread) || jsonb_build_object(
    'branch_key', thread.metadata ->> 'branch_key',
    'allow_off_script', off_script,
    'messages', '[]'::jsonb,
    'llm_context', app.llm_context_json(llm)
  );
end;
$$;
comment on function public.create_chat_thread(uuid, text, text, text) is
  'Opens an assistant chat at a step (optionally for an llm/rag branch: its prompt and off-script rule) and records its LLM context.';
revoke execute on function public.create_chat_thread(uuid, text, text, text) from public, anon;
grant execute on function public.create_chat_thread(uuid, text, text, text) to authenticated;


---------------------------------------------------------------------------------------
-- public.propose_action: who proposes (the author), for which execution, checked; the
-- proposal (or the same one already waiting); the assignee's notification.
---------------------------------------------------------------------------------------

-- The person a proposal is for. The service role (the assistant: chat and brief proposals)
-- names them; a person (an agent acting with their token) proposes for themselves, as an
-- agent.
create or replace function app.proposal_author_id(source text, author_id uuid)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_author uuid := proposal_author_id.author_id;
begin
  if proposal_author_id.source not in ('thread', 'brief', 'agent') then
    raise exception 'source must be thread, brief or agent' using errcode = '22023';
  end if;
  if current_user <> 'service_role' then
    if proposal_author_id.source <> 'agent' then
      raise exception 'Only the assistant stores chat and brief proposals' using errcode = '42501',
        hint = 'Agents propose with source agent; the chat''s proposals come from the assistant itself.';
    end if;
    if v_author is not null and v_author is distinct from (select auth.uid()) then
      raise exception 'You can only propose for yourself' using errcode = '42501';
    end if;
    v_author := (select auth.uid());
  end if;
  if v_author is null then
    raise exception 'author_id is required: the person the assistant works for' using errcode = '22023';
  end if;
  return v_author;
end;
$$;
revoke execute on function app.proposal_author_id(text, uuid) from public, anon;
grant execute on function app.proposal_author_id(text, uuid) to authenticated, service_role;

-- The execution a proposal is about: a chat proposal's is its thread's (a tool call of the
-- reply being answered, which takes the thread's writer lock); others name it.
create or replace function app.proposal_execution_id(source text, execution_id uuid, thread_id uuid, message_id uuid)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_thread_execution uuid;
begin
  if proposal_execution_id.source = 'thread' then
    perform app.assistant_reply_in_flight(proposal_execution_id.thread_id, proposal_execution_id.message_id);
    select t.execution_id into v_thread_execution from app.workflow_chat_threads t where t.id = proposal_execution_id.thread_id;
    if proposal_execution_id.execution_id is not null and proposal_execution_id.execution_id <> v_thread_execution then
      raise exception 'execution_id is not the workflow of this chat' using errcode = '22023';
    end if;
    return v_thread_execution;
  elsif proposal_execution_id.thread_id is not null or proposal_execution_id.message_id is not null then
    raise exception 'thread_id and message_id belong to chat proposals (source thread)' using errcode = '22023';
  end if;
  return proposal_execution_id.execution_id;
end;
$$;
revoke execute on function app.proposal_execution_id(text, uuid, uuid, uuid) from public, anon;
grant execute on function app.proposal_execution_id(text, uuid, uuid, uuid) to authenticated, service_role;

-- The author's profile, when they may work on the execution: a csm (assigned, or nobody
-- is), a manager or an admin of its organisation.
create or replace function app.proposal_author(e app.workflow_executions, author_id uuid)
returns app.profiles
language plpgsql
stable
set search_path = ''
as $$
declare
  author app.profiles;
begin
  select * into author from app.profiles x where x.id = proposal_author.author_id and x.org_id = e.org_id;
  if not found or author.role not in ('csm', 'manager', 'admin')
     or (author.role = 'csm' and e.assigned_to is not null and e.assigned_to <> author.id) then
    raise exception 'This person may not work on this workflow' using errcode = '42501',
      hint = 'Proposals are for the CSM assigned to the workflow, a manager or an admin of its organisation.';
  end if;
  return author;
end;
$$;
revoke execute on function app.proposal_author(app.workflow_executions, uuid) from public, anon;
grant execute on function app.proposal_author(app.workflow_executions, uuid) to authenticated, service_role;

-- The name of an active action the organisation has (its own before the core one).
create or replace function app.available_action_name(action_key text, org_id uuid)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_name text;
begin
  select s.name into v_name from app.saved_actions s
   where s.key = available_action_name.action_key and s.is_active
     and (s.org_id is null or s.org_id = available_action_name.org_id)
   order by s.org_id nulls last limit 1;
  if v_name is null then
    raise exception 'action_key "%" is not an action available to this organisation', available_action_name.action_key
      using errcode = '22023', hint = 'Use one of list_saved_actions.';
  end if;
  return v_name;
end;
$$;
revoke execute on function app.available_action_name(text, uuid) from public, anon;
grant execute on function app.available_action_name(text, uuid) to authenticated, service_role;

-- Tells the execution's assignee (else the author) about a new proposal.
create or replace function app.notify_proposal(p app.action_proposals, e app.workflow_executions, author_id uuid, action_name text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  -- The id is made here: the caller may write the assignee's notification but not read it back.
  insert into app.notifications (id, org_id, user_id, notification_type, title, body, data)
  values (gen_random_uuid(), e.org_id, coalesce(e.assigned_to, notify_proposal.author_id), 'proposal',
          'Proposed: ' || notify_proposal.action_name || ' for '
            || coalesce((select c.name from app.customers c where c.id = e.customer_id), 'a customer'),
          left(p.rationale, 500),
          jsonb_build_object('proposal_id', p.id, 'execution_id', e.id, 'action_key', p.action_key, 'source', p.source));
end;
$$;
revoke execute on function app.notify_proposal(app.action_proposals, app.workflow_executions, uuid, text) from public, anon;
grant execute on function app.notify_proposal(app.action_proposals, app.workflow_executions, uuid, text) to authenticated, service_role;

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
  if not app.is_open_status(e.status) then
    raise exception 'Cannot propose an action on this workflow: it is %', app.status_words(e.status) using errcode = 'PT409';
  end if;
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
  'Stores an AI proposal for a person to decide; executes nothing. Chat and brief proposals: the service role (author_id); agents: the person''s own token.';
revoke execute on function public.propose_action(text, text, jsonb, uuid, uuid, uuid, uuid, text, text) from public, anon;
grant execute on function public.propose_action(text, text, jsonb, uuid, uuid, uuid, uuid, text, text) to authenticated, service_role;


---------------------------------------------------------------------------------------
-- public.post_chat_message: guard, a replay returns what was stored, else the prompt for
-- the new exchange and the stored pair.
---------------------------------------------------------------------------------------

-- A replayed send (the same client id in the thread): the stored question and its reply,
-- whatever the thread's state now; null when the id is new.
create or replace function app.replayed_chat_exchange(thread_id uuid, client_message_id text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  user_message app.workflow_chat_messages;
  assistant_message app.workflow_chat_messages;
begin
  select m.* into user_message
    from app.workflow_chat_messages m
   where m.thread_id = replayed_chat_exchange.thread_id and m.client_message_id = replayed_chat_exchange.client_message_id;
  if not found then
    return null;
  end if;
  select m.* into assistant_message
    from app.workflow_chat_messages m
   where m.reply_to_id = user_message.id
   order by m.sequence
   limit 1;
  return jsonb_build_object(
    'user_message', app.chat_message_json(user_message),
    'assistant_message', case when assistant_message.id is not null then app.chat_message_json(assistant_message) end,
    'replayed', true);
end;
$$;
revoke execute on function app.replayed_chat_exchange(uuid, text) from public, anon;
grant execute on function app.replayed_chat_exchange(uuid, text) to authenticated;

-- What the model is given besides the new question: the recorded context, the earlier
-- turns (questions, and answers that completed; the last 40), the customer's history
-- passages for the question.
create or replace function app.chat_prompt_for(thread app.workflow_chat_threads, question text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_customer_id uuid;
begin
  select e.customer_id into v_customer_id
    from app.workflow_executions e where e.id = thread.execution_id and e.org_id = thread.org_id;
  return jsonb_build_object(
    'thread_type', thread.thread_type,
    'branch_key', thread.metadata ->> 'branch_key',
    'execution_id', thread.execution_id,
    'step_key', thread.step_key,
    'customer_id', v_customer_id,
    'llm_context', (select app.llm_context_json(l) from app.workflow_llm_context l
                     where l.thread_id = thread.id and l.org_id = thread.org_id),
    'history', coalesce((
      select jsonb_agg(jsonb_build_object('role', h.role, 'content', h.content) order by h.sequence)
        from (
          select m.role, m.content, m.sequence from app.workflow_chat_messages m
           where m.thread_id = thread.id
             and (m.role = 'user' or (m.role = 'assistant' and m.status = 'complete' and m.content <> ''))
           order by m.sequence desc
           limit 40
        ) h), '[]'::jsonb),
    'passages', case when v_customer_id is null then '[]'::jsonb else
      app.chat_history_for_prompt(thread.org_id, v_customer_id, question, thread.thread_type = 'rag') end);
end;
$$;
revoke execute on function app.chat_prompt_for(app.workflow_chat_threads, text) from public, anon;
grant execute on function app.chat_prompt_for(app.workflow_chat_threads, text) to authenticated;

-- Stores the question and a pending reply after the thread's last message, in one
-- statement (the reply names the question by a pre-generated id; the foreign key is
-- checked at the end of the statement); returns {user_message, assistant_message, replayed}.
create or replace function app.insert_chat_exchange(thread app.workflow_chat_threads, content text, client_message_id text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_question_id uuid := gen_random_uuid();
  v_sequence integer := (select coalesce(max(m.sequence), 0) + 1 from app.workflow_chat_messages m where m.thread_id = thread.id);
  v_result jsonb;
begin
  with inserted as (
    insert into app.workflow_chat_messages (id, org_id, thread_id, sequence, role, content, status, client_message_id, reply_to_id, completed_at)
    values (v_question_id, thread.org_id, thread.id, v_sequence, 'user', insert_chat_exchange.content, 'complete',
            insert_chat_exchange.client_message_id, null, now()),
           (gen_random_uuid(), thread.org_id, thread.id, v_sequence + 1, 'assistant', '', 'pending', null, v_question_id, null)
    returning *
  )
  select jsonb_build_object('user_message', app.chat_message_json(u), 'assistant_message', app.chat_message_json(a),
                            'replayed', false)
    into v_result
    from inserted u, inserted a
   where u.role = 'user' and a.role = 'assistant';
  return v_result;
end;
$$;
revoke execute on function app.insert_chat_exchange(app.workflow_chat_threads, text, text) from public, anon;
grant execute on function app.insert_chat_exchange(app.workflow_chat_threads, text, text) to authenticated;

create or replace function public.post_chat_message(thread_id uuid, content text, client_message_id text)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  thread app.workflow_chat_threads;
  replayed jsonb;
  prompt jsonb;
begin
  if post_chat_message.content is null or btrim(post_chat_message.content) = '' then
    raise exception 'content must not be empty' using errcode = '22023', hint = 'Type a message.';
  end if;
  if length(post_chat_message.content) > 20000 then
    raise exception 'content is longer than 20000 characters' using errcode = '22023', hint = 'Shorten the message.';
  end if;
  if post_chat_message.client_message_id is null or btrim(post_chat_message.client_message_id) = ''
     or length(post_chat_message.client_message_id) > 200 then
    raise exception 'client_message_id must be 1 to 200 characters' using errcode = '22023',
      hint = 'Generate one id per message on the client (a UUID) and reuse it when retrying the same send.';
  end if;

  thread := app.chat_thread_for_write(post_chat_message.thread_id);
  replayed := app.replayed_chat_exchange(thread.id, post_chat_message.client_message_id);
  if replayed is not null then
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
revoke execute on function public.post_chat_message(uuid, text, text) from public, anon;
grant execute on function public.post_chat_message(uuid, text, text) to authenticated;
comment on function public.post_chat_message(uuid, text, text) is
  'Stores a user message and a pending assistant reply in one transaction (idempotent by client_message_id); a new exchange also returns `prompt`: the LLM context, earlier turns and history passages.';


---------------------------------------------------------------------------------------
-- app.daily_brief_facts: one function per kind of fact (each ranks its facts and keeps
-- at most 5: a brief is short), then the facts numbered f1, f2, … in the brief's order.
-- Service role only, like daily_brief_facts.
---------------------------------------------------------------------------------------

-- Top of the queue: what to open first, and why (lane, stage, decision date).
create or replace function app.brief_top_items(p_org_id uuid, p_profile_id uuid, p_today date)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select row_number() over (order by e.queue_lane, e.priority_score desc, e.id)::int,
         jsonb_build_object('kind', 'top_item', 'execution_id', e.id, 'customer_id', c.id, 'customer', c.name,
           'workflow', w.name, 'lane', app.queue_lane_name(e.queue_lane), 'stage', c.renewal_stage,
           'decision_date', c.decision_date, 'days_until_decision', c.decision_date - p_today,
           'arr', c.arr, 'priority_score', e.priority_score)
    from (select e.* from app.workflow_executions e
           where e.org_id = p_org_id and e.assigned_to = p_profile_id and e.status in ('queued', 'in_progress')
           order by e.queue_lane, e.priority_score desc, e.id limit 5) e
    join app.customers c on c.id = e.customer_id and c.org_id = e.org_id
    join app.workflows w on w.id = e.workflow_id
$$;
revoke execute on function app.brief_top_items(uuid, uuid, date) from public, anon, authenticated;
grant execute on function app.brief_top_items(uuid, uuid, date) to service_role;

-- Renewal stage changes of the person's customers since the last brief (the latest per customer).
create or replace function app.brief_stage_changes(p_org_id uuid, p_profile_id uuid, p_since timestamptz)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select * from (
    select row_number() over (order by x.changed_at desc)::int as rank_in_kind,
           jsonb_build_object('kind', 'stage_change', 'customer_id', b.id, 'customer', b.name,
             'from', x.old_value, 'to', x.new_value, 'at', x.changed_at) as fact
      from app.customers b
      join lateral (select ch.* from app.customer_changes ch
                     where ch.customer_id = b.id and ch.org_id = b.org_id and ch.field = 'renewal_stage'
                       and ch.changed_at > p_since
                     order by ch.changed_at desc limit 1) x on true
     where b.org_id = p_org_id and b.assigned_to = p_profile_id) f
   where f.rank_in_kind <= 5
$$;
revoke execute on function app.brief_stage_changes(uuid, uuid, timestamptz) from public, anon, authenticated;
grant execute on function app.brief_stage_changes(uuid, uuid, timestamptz) to service_role;

-- Health drops of 10 points or more: the score now against the last one before `since`.
create or replace function app.brief_health_drops(p_org_id uuid, p_profile_id uuid, p_since timestamptz)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select * from (
    select row_number() over (order by before.health_score - b.health_score desc)::int as rank_in_kind,
           jsonb_build_object('kind', 'health_drop', 'customer_id', b.id, 'customer', b.name,
             'from', before.health_score, 'to', b.health_score, 'drop', before.health_score - b.health_score) as fact
      from app.customers b
      join lateral (select h.health_score from app.customer_score_history h
                     where h.customer_id = b.id and h.org_id = b.org_id and h.recorded_at <= p_since
                       and h.health_score is not null
                     order by h.recorded_at desc limit 1) before on true
     where b.org_id = p_org_id and b.assigned_to = p_profile_id
       and before.health_score - b.health_score >= 10) f
   where f.rank_in_kind <= 5
$$;
revoke execute on function app.brief_health_drops(uuid, uuid, timestamptz) from public, anon, authenticated;
grant execute on function app.brief_health_drops(uuid, uuid, timestamptz) to service_role;

-- Seat usage drops of 10 points or more (active users / licensed seats, in percent).
create or replace function app.brief_usage_drops(p_org_id uuid, p_profile_id uuid, p_since timestamptz)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select * from (
    select row_number() over (order by u_before.pct - u_now.pct desc)::int as rank_in_kind,
           jsonb_build_object('kind', 'usage_drop', 'customer_id', b.id, 'customer', b.name,
             'from', round(u_before.pct), 'to', round(u_now.pct), 'drop', round(u_before.pct - u_now.pct)) as fact
      from app.customers b
      join lateral (select 100.0 * s.active_users / nullif(s.licensed_seats, 0) as pct from app.usage_snapshots s
                     where s.customer_id = b.id and s.org_id = b.org_id
                     order by s.recorded_at desc limit 1) u_now on u_now.pct is not null
      join lateral (select 100.0 * s.active_users / nullif(s.licensed_seats, 0) as pct from app.usage_snapshots s
                     where s.customer_id = b.id and s.org_id = b.org_id and s.recorded_at <= p_since
                     order by s.recorded_at desc limit 1) u_before on u_before.pct is not null
     where b.org_id = p_org_id and b.assigned_to = p_profile_id
       and u_before.pct - u_now.pct >= 10) f
   where f.rank_in_kind <= 5
$$;
revoke execute on function app.brief_usage_drops(uuid, uuid, timestamptz) from public, anon, authenticated;
grant execute on function app.brief_usage_drops(uuid, uuid, timestamptz) to service_role;

-- New support tickets of the person's customers.
create or replace function app.brief_new_tickets(p_org_id uuid, p_profile_id uuid, p_since timestamptz)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select * from (
    select row_number() over (order by t.created_at desc)::int as rank_in_kind,
           jsonb_build_object('kind', 'new_ticket', 'customer_id', b.id, 'customer', b.name,
             'event_id', t.id, 'title', coalesce(t.title, 'Support ticket'), 'status', t.ticket_status, 'at', t.occurred_at) as fact
      from app.customers b
      join app.engagement_events t on t.customer_id = b.id and t.org_id = b.org_id
     where b.org_id = p_org_id and b.assigned_to = p_profile_id
       and t.event_type = 'support_ticket' and t.created_at > p_since) f
   where f.rank_in_kind <= 5
$$;
revoke execute on function app.brief_new_tickets(uuid, uuid, timestamptz) from public, anon, authenticated;
grant execute on function app.brief_new_tickets(uuid, uuid, timestamptz) to service_role;

-- Notice deadlines (auto-renewing contracts) of the person's customers within the next 14 days.
create or replace function app.brief_notice_deadlines(p_org_id uuid, p_profile_id uuid, p_today date)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select * from (
    select row_number() over (order by b.decision_date, b.name)::int as rank_in_kind,
           jsonb_build_object('kind', 'notice_deadline', 'customer_id', b.id, 'customer', b.name,
             'decision_date', b.decision_date, 'renewal_date', b.renewal_date, 'days', b.decision_date - p_today, 'arr', b.arr) as fact
      from app.customers b
     where b.org_id = p_org_id and b.assigned_to = p_profile_id
       and b.decision_date between p_today and p_today + 14 and b.decision_date <> b.renewal_date) f
   where f.rank_in_kind <= 5
$$;
revoke execute on function app.brief_notice_deadlines(uuid, uuid, date) from public, anon, authenticated;
grant execute on function app.brief_notice_deadlines(uuid, uuid, date) to service_role;

-- The person's tasks due today or earlier, or forced to action.
create or replace function app.brief_tasks_due(p_org_id uuid, p_profile_id uuid, p_today date)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select * from (
    select row_number() over (order by k.force_action desc, k.due_date nulls last)::int as rank_in_kind,
           jsonb_build_object('kind', 'task_due', 'task_id', k.id, 'customer_id', k.customer_id,
             'customer', (select c.name from app.customers c where c.id = k.customer_id),
             'title', k.title, 'due_date', k.due_date, 'forced', k.force_action) as fact
      from app.workflow_tasks k
     where k.org_id = p_org_id and k.assigned_to = p_profile_id
       and k.status in ('pending', 'in_progress', 'snoozed')
       and (k.force_action or k.due_date < (p_today + 1)::timestamptz)) f
   where f.rank_in_kind <= 5
$$;
revoke execute on function app.brief_tasks_due(uuid, uuid, date) from public, anon, authenticated;
grant execute on function app.brief_tasks_due(uuid, uuid, date) to service_role;

-- AI proposals waiting for the person's decision.
create or replace function app.brief_proposals_waiting(p_org_id uuid, p_profile_id uuid)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select * from (
    select row_number() over (order by p.created_at)::int as rank_in_kind,
           jsonb_build_object('kind', 'proposal_waiting', 'proposal_id', p.id, 'execution_id', p.execution_id,
             'customer_id', e.customer_id, 'customer', (select c.name from app.customers c where c.id = e.customer_id),
             'action_key', p.action_key, 'rationale', left(p.rationale, 300)) as fact
      from app.action_proposals p
      join app.workflow_executions e on e.id = p.execution_id and e.org_id = p.org_id
     where p.org_id = p_org_id and p.status = 'proposed' and coalesce(e.assigned_to, p.proposed_for) = p_profile_id) f
   where f.rank_in_kind <= 5
$$;
revoke execute on function app.brief_proposals_waiting(uuid, uuid) from public, anon, authenticated;
grant execute on function app.brief_proposals_waiting(uuid, uuid) to service_role;

-- The facts of one person's brief, numbered f1, f2, … in the order the brief tells them.
create or replace function app.daily_brief_facts(p_org_id uuid, p_profile_id uuid, p_since timestamptz, p_today date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with facts as (
    select 1 as rank_kind, f.* from app.brief_top_items(p_org_id, p_profile_id, p_today) f
    union all select 2, f.* from app.brief_stage_changes(p_org_id, p_profile_id, p_since) f
    union all select 3, f.* from app.brief_health_drops(p_org_id, p_profile_id, p_since) f
    union all select 4, f.* from app.brief_usage_drops(p_org_id, p_profile_id, p_since) f
    union all select 5, f.* from app.brief_new_tickets(p_org_id, p_profile_id, p_since) f
    union all select 6, f.* from app.brief_notice_deadlines(p_org_id, p_profile_id, p_today) f
    union all select 7, f.* from app.brief_tasks_due(p_org_id, p_profile_id, p_today) f
    union all select 8, f.* from app.brief_proposals_waiting(p_org_id, p_profile_id) f
  )
  select coalesce(jsonb_agg(fact || jsonb_build_object('id', 'f' || n) order by n), '[]'::jsonb)
    from (select fact, row_number() over (order by rank_kind, rank_in_kind) as n from facts) numbered
$$;
comment on function app.daily_brief_facts(uuid, uuid, timestamptz, date) is
  'The facts of one person''s daily brief (top items; changes since `since`), numbered f1, f2, … — the only things the brief may state.';
revoke execute on function app.daily_brief_facts(uuid, uuid, timestamptz, date) from public, anon, authenticated;
grant execute on function app.daily_brief_facts(uuid, uuid, timestamptz, date) to service_role;
