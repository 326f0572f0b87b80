-- A request's key made only of whitespace or invisible characters is blank, like one of
-- spaces: a tab, a line break, a no-break space, a zero-width space or a byte-order mark
-- as an idempotency key, a client_message_id or a webhook-id is refused with 22023 naming
-- it, and nothing is applied or stored. A key with visible characters is taken as sent.
-- (app.check_request_key, migration 20261206250000.)
begin;
select plan(13);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.workflow_executions set status = 'in_progress' where id = :'eid';
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for)
values (:'org', :'eid', 'create_task', jsonb_build_object('title', 'Call the signer', 'due_date', (:'today'::date + 2)::text), 'They asked for a call', 'agent', 'test-agent', :'csm')
returning id as proposal \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L, %L)', 'create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z"}', E'\t'),
  '22023', 'idempotency_key must be 1 to 200 characters, not only whitespace', 'an idempotency key of a tab is blank');
select throws_ok(format('select public.execute_action(%L, %L, %L, %L)', 'create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z"}', E'\u200b'),
  '22023', 'idempotency_key must be 1 to 200 characters, not only whitespace', 'an idempotency key of a zero-width space is blank');
select throws_ok(format('select public.execute_action(%L, %L, %L, %L)', 'create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z"}', E'\u00a0\n'),
  '22023', 'idempotency_key must be 1 to 200 characters, not only whitespace', 'an idempotency key of a no-break space and a line break is blank');
select throws_ok(format('select public.execute_action(%L, %L, %L, %L)', 'create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z"}', '   '),
  '22023', 'idempotency_key must be 1 to 200 characters, not only whitespace', 'an idempotency key of spaces is blank, as before');
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid' and created_by = :'csm'), 0, 'no task was created');
select is((select count(*)::int from app.action_executions where execution_id = :'eid'), 0, 'and nothing was logged under a blank key');

select throws_ok(format('select public.decide_proposal(%L, true, null, %L)', :'proposal', E'\ufeff'),
  '22023', 'idempotency_key must be 1 to 200 characters, not only whitespace', 'a decision''s key of a byte-order mark is blank');
select is((select status from app.action_proposals where id = :'proposal'), 'proposed', 'the proposal still waits');
select throws_ok(format('select public.choose_chat_branch(%L, %L, %L, null, %L)', :'eid', 'review', 'snooze', E'\t'),
  '22023', 'idempotency_key must be 1 to 200 characters, not only whitespace', 'a branch choice''s key of a tab is blank, before any lookup');
select throws_ok(format('select public.post_chat_message(%L, %L, %L)', gen_random_uuid(), 'Hello', E'\u200b'),
  '22023', 'client_message_id must be 1 to 200 characters, not only whitespace', 'a chat message''s client_message_id of a zero-width space is blank');

select tests.authenticate_as_service_role();
select throws_ok(format('select app.ingest_check_delivery(%L, %L, %L)', :'org', E'\u00a0', '[{"type": "usage.snapshot"}]'),
  '22023', 'webhook_id must be 1 to 255 characters, not only whitespace', 'a webhook-id of a no-break space is blank');

select tests.authenticate_as('e_csm');
select is(public.execute_action('create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z"}', E' key-1\t') ->> 'replayed', 'false',
  'a key with visible characters is taken');
select is(public.execute_action('create_task', :'eid', '{"due_date": "2030-01-01T09:00:00Z"}', E' key-1\t') ->> 'replayed', 'true',
  'and replays as sent');
select * from finish();
rollback;
