-- An idempotency key names one request across every call that takes one (docs/api-contract.md
-- "Errors"): a person's key used by one call is PT409 "this key was used for a different
-- request" on any other, and nothing is applied; the same request again still answers what
-- the first answered. Before migration 20261212300000 each call kept its keys in its own
-- store, and a key was taken again by another call: an action's key started a workflow,
-- a task's key ran an action, a start's key cancelled a workflow.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset

select tests.authenticate_as('e_csm');
select public.execute_action('snooze', :'eid', '{"days": 3, "reason": "Waiting on the customer"}', 'key-a') as snoozed \gset

select throws_ok(format($$select public.start_workflow(%L, idempotency_key => 'key-a')$$, :'eid2'),
  'PT409', 'this key was used for a different request', 'an action''s key does not start a workflow');
select is((select status from app.workflow_executions where id = :'eid2'), 'queued', 'which stays queued');
select throws_ok(format($$select public.execute_action('escalate', %L, '{"reason": "Budget"}', 'key-a')$$, :'eid2'),
  'PT409', 'this key was used for a different request', 'nor runs another action (as before)');
select is((public.execute_action('snooze', :'eid', '{"days": 3, "reason": "Waiting on the customer"}', 'key-a') ->> 'replayed')::boolean,
  true, 'the same action again is still replayed');

select public.start_workflow(:'eid2', idempotency_key => 'key-b') as started \gset
select throws_ok(format($$select public.cancel_workflow(%L, 'Not needed', idempotency_key => 'key-b')$$, :'eid2'),
  'PT409', 'this key was used for a different request', 'a start''s key does not cancel a workflow');
select is((select status from app.workflow_executions where id = :'eid2'), 'in_progress', 'which stays in progress');

select public.create_task('Send the deck', :'cust', due_date => '2031-01-15T17:00:00Z', idempotency_key => 'key-c') as task \gset
select throws_ok(format($$select public.execute_action('escalate', %L, '{"reason": "Budget"}', 'key-c')$$, :'eid2'),
  'PT409', 'this key was used for a different request', 'a task''s key does not run an action');
select is((select count(*)::int from app.action_executions where execution_id = :'eid2'), 0, 'and no action is logged');
select throws_ok(format($$select public.log_engagement(%L, 'note', '2026-12-01T10:00:00Z', 'Called the CFO', idempotency_key => 'key-c')$$, :'cust'),
  'PT409', 'this key was used for a different request', 'nor logs an activity');
select is((public.create_task('Send the deck', :'cust', due_date => '2031-01-15T17:00:00Z', idempotency_key => 'key-c') ->> 'id'),
  (:'task'::jsonb ->> 'id'), 'the same task again answers the task it made');

-- A key is the person's: a colleague's same key is their own request.
select tests.authenticate_as('e_csm2');
select lives_ok(format($$select public.create_task('Book the room', %L, due_date => '2031-01-16T17:00:00Z', idempotency_key => 'key-a')$$, :'cust'),
  'another person''s key is theirs');
select tests.authenticate_as('e_csm');
select throws_ok(format($$select public.create_task('Book the room', %L, due_date => '2031-01-16T17:00:00Z', idempotency_key => 'key-b')$$, :'cust'),
  'PT409', 'this key was used for a different request', 'while the person''s own start key makes no task');
select * from finish();
rollback;
