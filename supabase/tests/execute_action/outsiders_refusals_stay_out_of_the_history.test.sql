-- A refusal by someone who may not act on a workflow (a viewer, another CSM; any 42501)
-- is kept as an audit row without their params and listed neither on the workflow page nor
-- on the customer timeline; a refusal of someone who may act keeps small params only; the
-- workflow page lists the newest 50 action rows, however many there are, and says how many.
begin;
select plan(16);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

-- What execute-action logs after the database refused each call (service role).
select tests.authenticate_as_service_role();
select count(public.log_refused_action(:'viewer', 'snooze', :'eid',
         jsonb_build_object('days', 3, 'reason', repeat('V', 19900)), null, '42501', 'Viewers cannot act')) as n
  from generate_series(1, 25) \gset
select public.log_refused_action(:'csm2', 'snooze', :'eid', jsonb_build_object('days', 99, 'reason', 'Mine now'),
         null, '22023', 'days must be between 1 and 90') is not null as logged \gset
select public.log_refused_action(:'csm', 'snooze', :'eid', jsonb_build_object('days', 99, 'reason', 'Back next week'),
         null, '22023', 'days must be between 1 and 90') as small_id \gset
select public.log_refused_action(:'csm', 'snooze', :'eid', jsonb_build_object('days', 99, 'reason', repeat('R', 5000)),
         null, '22023', 'days must be between 1 and 90') as large_id \gset
select tests.clear_authentication();

select is((select count(*)::int from app.action_executions where execution_id = :'eid' and executed_by = :'viewer'), 25,
  'every refusal of the viewer is kept for the audit');
select is((select count(*)::int from app.action_executions
            where execution_id = :'eid' and executed_by = :'viewer' and params = '{}'::jsonb and (result ->> 'outsider')::boolean),
  25, '... without their params, marked as an outsider''s');
select is((select params from app.action_executions where executed_by = :'csm2' and execution_id = :'eid'), '{}'::jsonb,
  'another CSM''s 22023 refusal keeps no params either');
select is((select params from app.action_executions where id = :'small_id'), '{"days": 99, "reason": "Back next week"}'::jsonb,
  'the assignee''s refusal keeps small params');
select is((select params from app.action_executions where id = :'large_id'), jsonb_build_object('omitted', length(jsonb_build_object('days', 99, 'reason', repeat('R', 5000))::text)),
  '... and only the length of large ones');

select tests.authenticate_as('e_csm');
select public.get_workflow_execution(:'eid') as page \gset
select is(jsonb_array_length(:'page'::jsonb -> 'actions'), 2, 'the workflow page lists only the assignee''s own refusals');
select is((:'page'::jsonb ->> 'actions_total')::int, 2, '... and counts only those: an outsider''s refusals are not in actions_total');
select ok(position('VVVV' in :'page') = 0, 'no text of the viewer reaches the workflow page');
select cmp_ok(length(:'page'), '<', 30000, 'the page stays small');
select public.get_customer_timeline(:'cust', 50, null) as timeline \gset
select is((select count(*)::int from jsonb_array_elements(:'timeline'::jsonb -> 'items') x where x ->> 'kind' = 'action'), 2,
  'the customer timeline lists the same two action rows');
select tests.authenticate_as('e_manager');
select is(jsonb_array_length(public.get_workflow_execution(:'eid') -> 'actions'), 2, 'a manager sees the same history');
select tests.clear_authentication();

-- However many rows the log has, the page carries the newest 50, newest first.
insert into app.action_executions (org_id, execution_id, action_key, executed_by, params, result, success, created_at)
select :'org', :'eid', 'custom', :'csm', jsonb_build_object('n', n), '{}'::jsonb, true, now() + n * interval '1 second'
  from generate_series(1, 120) n;
select tests.authenticate_as('e_csm');
select public.get_workflow_execution(:'eid') as page \gset
select :'page'::jsonb -> 'actions' as actions \gset
select is((:'page'::jsonb ->> 'actions_total')::int, 122, 'actions_total says how many rows there are beyond the newest 50');
select is(jsonb_array_length(:'actions'::jsonb), 50, 'the page lists the newest 50 action rows');
select is((:'actions'::jsonb -> 0 -> 'params' ->> 'n')::int, 120, 'newest first');
select is((:'actions'::jsonb -> 49 -> 'params' ->> 'n')::int, 71, 'down to the 50th newest');
select tests.clear_authentication();
select ok(not has_function_privilege('authenticated', 'app.person_may_work_on_execution(uuid, uuid)', 'execute'),
  'the person check is the service role''s only');

select * from finish();
rollback;
