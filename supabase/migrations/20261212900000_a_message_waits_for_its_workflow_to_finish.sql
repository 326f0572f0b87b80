-- A message sent to a chat while its workflow is being finished waits for the finish, and is
-- then refused as any message to a finished workflow's chat is (PT409, nothing stored).
--
-- What could happen before: post_chat_message read the workflow's status without a lock. A
-- call finishing the workflow at the same instant (Complete, Skip, a cancel, the orchestrator
-- superseding it) had not committed yet, so the message read 'in_progress', was stored with a
-- pending reply, and the chat function asked the model in a workflow that was finished by the
-- time it answered (its tools were then refused).
--
-- Now the status is read `for share`. Every writer of a workflow holds its row `for no key
-- update` (app.lock_execution_row), which conflicts with it, so the message waits and reads the
-- status the finish committed. Lock order (docs/workflow-engine.md "Lock order"): the thread's
-- lock, then the execution row, as complete_chat_thread takes them; nothing takes a thread's
-- lock while holding a workflow's, so the wait cannot deadlock. A message to an open workflow
-- with nobody finishing it takes the row lock and goes on at once (share locks do not block
-- each other, so two tabs' messages in two threads of one workflow do not wait for each other).
--
-- public.post_chat_message restated from 20261212800000_a_finished_workflows_chat_takes_no_message.sql;
-- the lock on the status read is the one change.
-- tests/integration/chat-message-while-workflow-finishes.test.ts holds the race open.

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
  -- The status is read `for share`: a call finishing the workflow (complete, skip, cancel,
  -- supersede) holds its row `for no key update` until it commits, so a message sent meanwhile
  -- waits for it and then reads the finished status, instead of being stored beside it.
  perform app.refuse_chat_in_closed_workflow(
    (select e.status from app.workflow_executions e where e.id = thread.execution_id and e.org_id = thread.org_id for share));
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
