-- A snoozed workflow's page says why it was snoozed: get_workflow_execution sends the reason
-- of its newest snooze while it is snoozed, and none once it is awake (docs/workflow-engine.md).
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_two_open_renewals(:'org', :'csm', :'today') \gset
select tests.authenticate_as('e_csm');
select is(public.get_workflow_execution(:'eid') -> 'snooze_reason', 'null'::jsonb, 'an open workflow has no snooze reason');
select public.execute_action('snooze', :'eid', '{"days": 3, "reason": "Waiting on legal"}') is not null as snoozed \gset
select is(public.get_workflow_execution(:'eid') ->> 'snooze_reason', 'Waiting on legal', 'a snoozed one says why it was snoozed');
select public.wake_workflow(:'eid') is not null as woken \gset
select is(public.get_workflow_execution(:'eid') -> 'snooze_reason', 'null'::jsonb, 'woken, it says it no more');
select * from finish();
rollback;
