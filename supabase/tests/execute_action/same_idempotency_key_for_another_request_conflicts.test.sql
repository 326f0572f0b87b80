-- An idempotency key names one request: the same key with another action, workflow or
-- params is PT409 "this key was used for a different request"; the same request replays.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select tests.authenticate_as('e_csm');
select public.execute_action('create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z", "title": "Call"}', 'key-1') as a \gset
select throws_ok(format('select public.execute_action(%L, %L, %L, %L)', 'create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z", "title": "Call the CEO"}', 'key-1'),
  'PT409', 'this key was used for a different request', 'other params with the same key are a conflict');
select throws_ok(format('select public.execute_action(%L, %L, %L, %L)', 'create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z"}', 'key-1'),
  'PT409', 'this key was used for a different request', 'a missing param is a different request too');
select throws_ok(format('select public.execute_action(%L, %L, %L, %L)', 'snooze', :'eid', '{"reason": "x"}', 'key-1'),
  'PT409', 'this key was used for a different request', 'another action is a conflict');
select is(public.execute_action('create_task', :'eid', '{"title": "Call",  "due_date": "2030-01-01T09:00:00Z"}', 'key-1') ->> 'replayed', 'true',
  'the same request (keys in any order) replays');
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid' and created_by = :'csm'), 1, 'one task');
select isnt((select request_hash from app.action_executions where idempotency_key = 'key-1'), null, 'the request''s hash is kept with the key');
select * from finish();
rollback;
