-- Sequence numbers are consecutive in a thread. Concurrent posts are serialised by a
-- transaction lock on the thread (proved here by the lock being taken; the vitest suite fires
-- concurrent posts through the API).
begin;
select plan(2);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
select public.post_chat_message((select id from t), format('Question %s', n), format('c-%s', n)) from generate_series(1, 5) n;

select is((select array_agg(sequence order by sequence) from app.workflow_chat_messages where thread_id = (select id from t)),
  array[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'five posts take sequences 1 to 10 without gaps');
select ok(exists (
  select 1 from pg_locks l where l.pid = pg_backend_pid() and l.locktype = 'advisory' and l.mode = 'ExclusiveLock'
), 'posting holds the thread''s transaction lock, so concurrent posts wait for each other');

select * from finish();
rollback;
