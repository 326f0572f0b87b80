-- Completing a step's chat locks the workflow before the step, as every step writer does
-- (docs/workflow-engine.md "Locks").
--
-- What a person saw before: completing a chat (complete-thread, "Complete" in the chat)
-- while another tab chose an answer of the same step, or pressed Complete step, could fail
-- with a deadlock (40P01, a 500). complete_chat_thread locked the step's row, then reached
-- the workflow's locks inside complete_step (the assignee's workload, then the execution
-- row); choose_chat_branch and complete_step take the workflow's locks first and the step's
-- row after them. Each held what the other waited for.
--
-- Now: complete_chat_thread takes the workflow's locks (app.lock_execution) right after the
-- thread's, before it reads the step: the two calls take turns, and the chat completes on
-- the step the other tab finished (its step is then not completed again). Nothing takes a
-- thread's lock while holding a workflow's (a chat reply's draft takes the thread's, then
-- the workflow's), so thread, workload, execution row, step row is one order. Restated
-- whole from 20261204000800_chat_and_artifacts.sql; the lock is the only change.
-- tests/integration/chat-thread-races.test.ts holds the race open.
create or replace function public.complete_chat_thread(thread_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  thread app.workflow_chat_threads;
  step app.workflow_step_executions;
  next_step app.workflow_step_executions;
  already boolean := false;
  duration integer;
begin
  thread := app.chat_thread_for_write(complete_chat_thread.thread_id);

  if thread.status = 'abandoned' then
    raise exception 'This chat was abandoned and cannot be completed' using errcode = 'PT409',
      hint = 'Start a new chat for this step.';
  end if;

  if thread.status = 'completed' then
    already := true;
  else
    -- The workflow before its step, in the order of every step writer (choose_chat_branch,
    -- complete_step): the step's row first deadlocked with them.
    perform app.lock_execution(thread.execution_id, 'complete a step of');
    if exists (
      select 1 from app.workflow_chat_messages m
       where m.thread_id = thread.id and m.status in ('pending', 'streaming')
    ) then
      raise exception 'The assistant is still answering in this chat' using errcode = 'PT409',
        hint = 'Wait for the answer to finish (or fail), then complete the chat.';
    end if;

    update app.workflow_chat_threads t
       set status = 'completed', completed_at = now()
     where t.id = thread.id
    returning * into thread;

    select se.* into step
      from app.workflow_step_executions se
     where se.execution_id = thread.execution_id and se.org_id = thread.org_id and se.step_key = thread.step_key
     for update;

    if found and step.status not in ('completed', 'skipped') then
      perform public.complete_step(
        execution_id => thread.execution_id,
        step_key => thread.step_key,
        outcome => jsonb_build_object('completed_by', 'chat', 'thread_id', thread.id));
    end if;

    duration := greatest(0, extract(epoch from (thread.completed_at - thread.started_at))::integer);
    update app.workflow_step_executions se
       set duration_seconds = coalesce(se.duration_seconds, 0) + duration,
           message_count = coalesce(se.message_count, 0) + thread.message_count,
           token_count = coalesce(se.token_count, 0) + thread.tokens_in + thread.tokens_out
     where se.execution_id = thread.execution_id and se.org_id = thread.org_id and se.step_key = thread.step_key;
  end if;

  select se.* into step
    from app.workflow_step_executions se
   where se.execution_id = thread.execution_id and se.org_id = thread.org_id and se.step_key = thread.step_key;

  select se.* into next_step
    from app.workflow_step_executions se
   where se.execution_id = thread.execution_id and se.org_id = thread.org_id
     and se.step_index > coalesce(step.step_index, -1) and se.status in ('pending', 'in_progress')
   order by se.step_index
   limit 1;

  return jsonb_build_object(
    'thread', app.chat_thread_json(thread),
    'step', case when step.id is not null then jsonb_build_object(
      'key', step.step_key, 'title', step.title, 'index', step.step_index, 'status', step.status,
      'completed_at', step.completed_at, 'duration_seconds', step.duration_seconds,
      'message_count', step.message_count, 'token_count', step.token_count) end,
    'next_step', case when next_step.id is not null then jsonb_build_object(
      'key', next_step.step_key, 'title', next_step.title, 'index', next_step.step_index, 'status', next_step.status) end,
    'already_completed', already);
end;
$$;

comment on function public.complete_chat_thread(uuid) is 'Completes a chat thread and its step (duration, message and token totals); returns {thread, step, next_step}.';
revoke execute on function public.complete_chat_thread(uuid) from public, anon;
grant execute on function public.complete_chat_thread(uuid) to authenticated;
