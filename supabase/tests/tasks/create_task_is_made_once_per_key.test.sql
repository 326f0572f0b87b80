-- create_task with an idempotency key: the same request again answers the task it made (one
-- task, one notification), another request with the key is PT409, a blank key is 22023, and
-- a key is the maker's own (another person's same key makes their own task).
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Once Co', :'csm') returning id as oc \gset

select tests.authenticate_as('e_csm');
select public.create_task('Send the deck', :'oc', due_date => '2031-01-15T17:00:00Z', assigned_to => :'csm2', idempotency_key => 'k-1') ->> 'id' as first \gset
select is(public.create_task('Send the deck', :'oc', due_date => '2031-01-15T17:00:00Z', assigned_to => :'csm2', idempotency_key => 'k-1') ->> 'id',
  :'first', 'the same request with the same key answers the task it made');
select throws_ok(format('select public.create_task(%L, %L, due_date => %L, assigned_to => %L, idempotency_key => %L)', 'Send the other deck', :'oc', '2031-01-15T17:00:00Z', :'csm2', 'k-1'),
  'PT409', 'this key was used for a different request', 'another request with the key is a conflict');
select throws_ok(format('select public.create_task(%L, %L, idempotency_key => %L)', 'Blank key', :'oc', E'\u200b'),
  '22023', null, 'a blank key is refused');
select isnt(public.create_task('Send the deck', :'oc', due_date => '2031-01-15T17:00:00Z', assigned_to => :'csm2') ->> 'id',
  :'first', 'without a key, each call makes a task');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_tasks where customer_id = :'oc' and title = 'Send the deck'), 2,
  'the keyed request made one task, the unkeyed one another');
select is((select count(*)::int from app.notifications where user_id = :'csm2' and notification_type = 'task_assigned' and data ->> 'task_id' = :'first'), 1,
  'the assignee is told once');

select tests.authenticate_as('e_csm2');
select isnt(public.create_task('Send the deck', :'oc', due_date => '2031-01-15T17:00:00Z', idempotency_key => 'k-1') ->> 'id',
  :'first', 'another person''s same key makes their own task');
select tests.clear_authentication();
select is((select request_key from app.workflow_tasks where id = :'first'), 'k-1', 'the task keeps the key it was made with');

select * from finish();
rollback;
