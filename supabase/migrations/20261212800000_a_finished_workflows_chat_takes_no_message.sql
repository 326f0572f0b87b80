-- A chat in a finished workflow (cancelled, completed, completed with tasks pending, skipped,
-- superseded: not app.is_open_status) takes no new message, by the rule that already refused
-- opening a chat there, written once (app.refuse_chat_in_closed_workflow) and asked by both.
-- Before, a chat still open when its workflow was cancelled or completed took the message:
-- post_chat_message stored it with a pending reply and the chat function ran the model, whose
-- tools were then refused, while create_chat_thread refused a new chat in the same workflow.
-- Both now answer PT409 'Cannot chat in this workflow: it is cancelled' (app.status_words) with
-- the closed workflow's hint, before anything is stored; a retry of a message stored while the
-- workflow was open still answers the stored pair, as for a completed thread.
-- app.open_execution_for_chat restated from 20261204000800_chat_and_artifacts.sql (its status
-- check the one change); public.post_chat_message restated from
-- 20261206250000_request_keys_are_never_blank.sql (the one added refusal).

create or replace function app.refuse_chat_in_closed_workflow(status text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if not app.is_open_status(refuse_chat_in_closed_workflow.status) then
    raise exception 'Cannot chat in this workflow: it is %', app.status_words(refuse_chat_in_closed_workflow.status)
      using errcode = 'PT409', hint = app.not_in_progress_hint(refuse_chat_in_closed_workflow.status);
  end if;
end;
$$;
comment on function app.refuse_chat_in_closed_workflow(text) is
  'The one rule for chatting in a workflow of this status: a finished one (not app.is_open_status) is PT409, for opening a chat and for a message to one already open alike.';
revoke execute on function app.refuse_chat_in_closed_workflow(text) from public, anon;
grant execute on function app.refuse_chat_in_closed_workflow(text) to authenticated;

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
  perform app.refuse_chat_in_closed_workflow(execution.status);
  return execution;
end;
$$;
revoke execute on function app.open_execution_for_chat(uuid) from public, anon;
grant execute on function app.open_execution_for_chat(uuid) to authenticated;

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
  -- A finished workflow's chats are kept to read: a new message is refused as a new chat is,
  -- before it is stored, so the model is never asked.
  perform app.refuse_chat_in_closed_workflow(
    (select e.status from app.workflow_executions e where e.id = thread.execution_id and e.org_id = thread.org_id));
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
