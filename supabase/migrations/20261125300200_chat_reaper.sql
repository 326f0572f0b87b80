-- The reaper: assistant messages stuck in `pending` or `streaming` for more than five
-- minutes are marked `failed` (domain.md "Chat"; issue 6).
--
-- Why: the chat function finishes every reply it starts, but a function instance can
-- die mid-stream (deploy, crash, timeout at the gateway). Without the reaper such a
-- reply would show a spinner forever and block completing its thread. The user message
-- and any partial text are kept; the CSM can send again with a new client id.
-- Runs as the cron job's owner (bypasses RLS by design: it spans every organisation);
-- not callable through the API. The partial index workflow_chat_messages_unfinished_idx
-- on (updated_at) where status in ('pending', 'streaming') keeps it cheap at any size.

create or replace function app.reap_stuck_chat_messages(older_than interval default interval '5 minutes')
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  reaped integer;
begin
  if older_than is null or older_than < interval '0' then
    raise exception 'older_than must be a positive interval' using errcode = '22023', hint = 'Leave it out for 5 minutes.';
  end if;
  with failed as (
    update app.workflow_chat_messages m
       set status = 'failed',
           error_message = 'The assistant did not finish this answer. Your message is saved; please send it again.',
           metadata = m.metadata || jsonb_build_object('error', 'The assistant did not finish this answer.', 'error_code', 'reaped', 'reaped_at', now()),
           completed_at = now()
     where m.status in ('pending', 'streaming')
       and m.updated_at < now() - older_than
       and m.role = 'assistant'
    returning m.thread_id
  ), counted as (
    -- A failed exchange still counts its question in the thread's totals (as finish does).
    update app.workflow_chat_threads t
       set message_count = t.message_count + f.n
      from (select thread_id, count(*)::integer as n from failed group by thread_id) f
     where t.id = f.thread_id
    returning f.n
  )
  select coalesce(sum(n), 0)::integer into reaped from counted;
  return reaped;
end;
$$;
comment on function app.reap_stuck_chat_messages(interval) is 'Marks assistant messages stuck in pending/streaming longer than older_than (default 5 minutes) as failed; returns how many.';
grant execute on function app.reap_stuck_chat_messages(interval) to service_role;

-- Every minute: a stuck reply fails between 5 and 6 minutes after its last update.
select cron.schedule(
  'reap-stuck-chat-messages',
  '* * * * *',
  $$select app.reap_stuck_chat_messages()$$
);
