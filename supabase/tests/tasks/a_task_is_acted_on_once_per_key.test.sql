-- A task's action sent again under the key of one whose answer was lost answers what the
-- first answered, applied once: a reassignment (though the task is no longer the sender's)
-- tells the new assignee once, a completion is not refused "already completed"; the key with
-- another action or on another task is PT409; without a key a second completion is refused
-- as before (migration 20261208100000).
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Task Co', :'csm') returning id as tc \gset

select tests.authenticate_as('e_csm');
select public.create_task('Prepare deck', :'tc', due_date => (now() + interval '2 days')::text) ->> 'id' as handed \gset
select public.create_task('Send notes', :'tc', due_date => (now() + interval '2 days')::text) ->> 'id' as done \gset
select public.create_task('Call back', :'tc', due_date => (now() + interval '2 days')::text) ->> 'id' as other \gset

select throws_ok(format($$select public.act_on_task(%L, 'reassign', %L, idempotency_key => 'hand-1')$$, :'handed',
                        jsonb_build_object('assignee_id', :'csm2')), '22023', null, 'params are still checked with a key');
select public.act_on_task(:'handed', 'reassign', jsonb_build_object('assignee_id', :'csm2', 'reason', 'Holiday'),
                          idempotency_key => 'hand-1') as handed_first \gset
select is(public.act_on_task(:'handed', 'reassign', jsonb_build_object('assignee_id', :'csm2', 'reason', 'Holiday'),
                             idempotency_key => 'hand-1'), :'handed_first'::jsonb,
  'the same reassignment again answers what the first answered, the task now another''s');

select public.act_on_task(:'done', 'complete', idempotency_key => 'done-1') as done_first \gset
select is(public.act_on_task(:'done', 'complete', idempotency_key => 'done-1'), :'done_first'::jsonb,
  'the same completion again answers what the first answered');
select is(:'done_first'::jsonb ->> 'status', 'completed', 'the task is completed');
select throws_ok(format($$select public.act_on_task(%L, 'skip', '{"reason": "Not needed"}', idempotency_key => 'done-1')$$, :'done'),
  'PT409', 'this key was used for a different request', 'the key with another action is refused');
select throws_ok(format($$select public.act_on_task(%L, 'complete', idempotency_key => 'done-1')$$, :'other'),
  'PT409', 'this key was used for a different request', 'the key on another task is refused');
select throws_ok(format($$select public.act_on_task(%L, 'complete')$$, :'done'),
  'PT409', null, 'without a key a second completion is refused, as before');
select tests.clear_authentication();
select is((select count(*)::int from app.notifications n where n.user_id = :'csm2'
            and n.notification_type in ('task_assigned', 'task_reassigned')), 1, 'the new assignee told once');
select is((select assigned_to::text from app.workflow_tasks where id = :'handed'), :'csm2', 'the task is with them');
select is((select status from app.workflow_tasks where id = :'other'), 'pending', 'the other task is as it was');
select * from finish();
rollback;
