-- create_chat_thread takes an idempotency key, so a chat opened at a step whose answer was lost
-- (the connection dropped, a timeout) and that is opened again is one chat.
--
-- What and why: a step's "Open AI chat" (or an llm/rag branch) called create_chat_thread,
-- which had no key. A request that committed but whose answer never reached the browser left
-- the page as it was, with the error and the button; pressing it again opened a second active
-- chat, and the step showed "Conversation 1 · active" and "Conversation 2 · active", one of
-- them empty, for the rest of the workflow. Now, as create_task and log_engagement
-- (docs/api-contract.md, idempotency): the same key with the same request answers the chat it
-- opened, as it is now; with another step, workflow, branch or type it is PT409.
--
-- - app.workflow_chat_threads.request_key: the key a person opened the chat with, unique per
--   organisation, person (started_by) and key; null otherwise.
-- - public.create_chat_thread(…, idempotency_key): checked by app.check_request_key. Two calls
--   with one key at once: the second waits for the first's row and answers with it.
-- Restated whole from 20261204000800_chat_and_artifacts.sql; the key is the only change.
-- Test: supabase/tests/create_chat_thread/a_chat_is_opened_once_per_key.test.sql.

alter table app.workflow_chat_threads add column request_key text;
create unique index workflow_chat_threads_request_key_idx on app.workflow_chat_threads (org_id, started_by, request_key)
  where request_key is not null;
comment on column app.workflow_chat_threads.request_key is
  'The idempotency key create_chat_thread opened this chat with (unique per organisation and person); null otherwise.';

drop function public.create_chat_thread(uuid, text, text, text);
create function public.create_chat_thread(
  execution_id uuid,
  step_key text,
  thread_type text default 'llm',
  branch_key text default null,
  idempotency_key text default null
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
  perform app.check_request_key(create_chat_thread.idempotency_key, 'idempotency_key', 200);
  -- Opened already under this key (an answer lost on its way back): that chat, if it is the
  -- same request, as it is now; answered before the other checks, so a step finished since
  -- does not turn the first answer into a refusal.
  if create_chat_thread.idempotency_key is not null then
    select * into thread from app.workflow_chat_threads t
     where t.org_id = (select app.current_org_id()) and t.started_by = (select auth.uid())
       and t.request_key = create_chat_thread.idempotency_key;
    if found then
      if thread.execution_id is distinct from create_chat_thread.execution_id
         or thread.step_key is distinct from create_chat_thread.step_key
         or thread.metadata ->> 'branch_key' is distinct from create_chat_thread.branch_key
         or (create_chat_thread.branch_key is null and thread.thread_type is distinct from kind) then
        raise exception 'this key was used for a different request' using errcode = 'PT409',
          hint = 'Send a new idempotency_key for a new chat.';
      end if;
      return app.chat_thread_json(thread) || jsonb_build_object(
        'branch_key', thread.metadata ->> 'branch_key',
        'allow_off_script', coalesce((thread.metadata ->> 'allow_off_script')::boolean, true),
        'messages', coalesce((select jsonb_agg(app.chat_message_json(m) order by m.sequence)
                                from app.workflow_chat_messages m where m.thread_id = thread.id), '[]'::jsonb),
        'llm_context', (select app.llm_context_json(l) from app.workflow_llm_context l
                         where l.thread_id = thread.id and l.org_id = thread.org_id));
    end if;
  end if;
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
  begin
    insert into app.workflow_chat_threads (org_id, execution_id, step_key, thread_type, title, started_by, metadata, request_key)
    values (execution.org_id, execution.id, create_chat_thread.step_key, kind,
            coalesce(nullif(branch.label, ''), step_title), (select auth.uid()),
            case when branch.id is not null
                 then jsonb_build_object('branch_key', branch.branch_key, 'allow_off_script', off_script)
                 else '{}'::jsonb end,
            create_chat_thread.idempotency_key)
    returning * into thread;
  exception when unique_violation then
    -- Another call with this key opened its chat first: answer with that one.
    if create_chat_thread.idempotency_key is null then
      raise;
    end if;
    return public.create_chat_thread(create_chat_thread.execution_id, create_chat_thread.step_key,
                                     create_chat_thread.thread_type, create_chat_thread.branch_key,
                                     create_chat_thread.idempotency_key);
  end;
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

comment on function public.create_chat_thread(uuid, text, text, text, text) is
  'Opens an assistant chat at a step (optionally for an llm/rag branch: its prompt and off-script rule) and records its LLM context. With an idempotency_key, the same request again answers the chat it opened; another request with that key is PT409.';
revoke execute on function public.create_chat_thread(uuid, text, text, text, text) from public, anon;
grant execute on function public.create_chat_thread(uuid, text, text, text, text) to authenticated;
