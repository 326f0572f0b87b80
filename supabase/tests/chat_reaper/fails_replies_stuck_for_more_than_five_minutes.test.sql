-- Replies stuck in pending/streaming for more than five minutes are failed by the reaper,
-- which pg_cron runs every minute; fresh ones and user messages are left alone.
begin;
select plan(7);
select tests.create_rls_world();
create temp table t as select id from app.workflow_chat_threads where metadata ->> 'label' = 'mine';
insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content, status, updated_at, metadata)
select th.org_id, th.id, s.seq, 'assistant', s.content, s.status, now() - s.age, jsonb_build_object('label', s.label)
  from app.workflow_chat_threads th
 cross join (values
   (10, 'stuck-pending', '', 'pending', interval '6 minutes'),
   (11, 'stuck-streaming', 'Half an ans', 'streaming', interval '10 minutes'),
   (12, 'fresh', '', 'pending', interval '1 minute')
 ) as s(seq, label, content, status, age)
 where th.id = (select id from t);

create temp table before as select message_count from app.workflow_chat_threads where id = (select id from t);
select is(app.reap_stuck_chat_messages(), 2, 'two stuck replies are reaped');
select is((select message_count from app.workflow_chat_threads where id = (select id from t)) - (select message_count from before), 2,
  'each failed exchange counts its question in the thread''s totals');
select is((select status from app.workflow_chat_messages where metadata ->> 'label' = 'stuck-pending'), 'failed', 'a stuck pending reply fails');
select is((select (status, content)::text from app.workflow_chat_messages where metadata ->> 'label' = 'stuck-streaming'),
  '(failed,"Half an ans")', 'a stuck streaming reply fails and keeps its partial text');
select isnt((select error_message from app.workflow_chat_messages where metadata ->> 'label' = 'stuck-streaming'), null, 'with a readable error');
select is((select status from app.workflow_chat_messages where metadata ->> 'label' = 'fresh'), 'pending', 'a fresh reply is left alone');
select is((select schedule from cron.job where jobname = 'reap-stuck-chat-messages'), '* * * * *', 'pg_cron runs the reaper every minute');

select * from finish();
rollback;
