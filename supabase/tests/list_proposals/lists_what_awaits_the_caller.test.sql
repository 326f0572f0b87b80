-- list_proposals: a workflow's proposals for any member of its organisation; without a
-- workflow, those awaiting the caller (managers: the organisation's); never another
-- organisation's; an undecided proposal past its date reads expired.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for)
values (:'org', :'eid', 'snooze', '{"days": 3, "reason": "Holiday"}', 'They are away', 'agent', 'test-agent', :'csm');
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for, expires_at)
values (:'org', :'eid', 'skip', '{"reason": "Other"}', 'Old idea', 'agent', 'test-agent', :'csm', now() - interval '1 day');

select tests.authenticate_as('e_csm');
select is(jsonb_array_length(public.list_proposals()), 1, 'the CSM sees the proposal awaiting them');
select is(public.list_proposals() -> 0 ->> 'action_name', 'Snooze Workflow', 'with the action''s name');
select is(public.list_proposals('expired') -> 0 ->> 'status', 'expired', 'past its date it reads expired');
select tests.authenticate_as('e_csm2');
select is(jsonb_array_length(public.list_proposals()), 0, 'another CSM has none awaiting them');
select is(jsonb_array_length(public.list_proposals('all', :'eid')), 2, 'but can read the workflow''s');
select tests.authenticate_as('o_manager');
select throws_ok(format('select public.list_proposals(%L, %L)', 'proposed', :'eid'), 'PT404', null, 'another organisation cannot');
select tests.authenticate_as('e_csm');
select throws_ok($$select public.list_proposals('maybe')$$, '22023', null, 'an unknown status');

select * from finish();
rollback;
