-- Rejecting records who and when and executes nothing.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.workflow_executions set status = 'in_progress' where id = :'eid';
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for)
values (:'org', :'eid', 'escalate', '{"reason": "x"}', 'Looks stuck', 'agent', 'test-agent', :'csm')
returning id as pid \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.decide_proposal(%L, false, %L)', :'pid', '{"reason": "y"}'), '22023', null, 'a rejection takes no params');
select public.decide_proposal(:'pid', false) as d \gset
select is(:'d'::jsonb -> 'proposal' ->> 'status', 'rejected', 'the proposal is rejected');
select is(:'d'::jsonb -> 'proposal' ->> 'decided_by', :'csm', 'by the CSM');
select tests.clear_authentication();
select is((select status from app.workflow_executions where id = :'eid'), 'in_progress', 'nothing was executed');
select is((select count(*)::int from app.action_executions where execution_id = :'eid'), 0, 'nothing was logged');

select * from finish();
rollback;
