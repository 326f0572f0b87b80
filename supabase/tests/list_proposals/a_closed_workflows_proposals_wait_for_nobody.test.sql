-- A proposal waits only while its workflow is open: on a workflow that closed, it is no
-- longer listed as waiting, reads expired, is not told in the brief, and the hourly job
-- marks it; on an open (even snoozed) workflow it still waits.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for)
values (:'org', :'eid', 'snooze', '{"days": 3, "reason": "Holiday"}', 'They are away', 'agent', 'test-agent', :'csm')
returning id as pid \gset

-- Snoozed is still open: the proposal waits.
update app.workflow_executions set status = 'snoozed', snoozed_until = now() + interval '1 day' where id = :'eid';
select tests.authenticate_as('e_csm');
select is(jsonb_array_length(public.list_proposals()), 1, 'on a snoozed workflow the proposal still waits');
reset role;
select is((select count(*)::int from app.brief_proposals_waiting(:'org', :'csm')), 1, 'and the brief tells it');

-- The workflow closes (completed here; superseded or cancelled read the same).
reset role;
update app.workflow_executions set status = 'completed', completed_at = now(), snoozed_until = null where id = :'eid';
select tests.authenticate_as('e_csm');
select is(jsonb_array_length(public.list_proposals()), 0, 'on a closed workflow it is no longer waiting for the CSM');
select is(public.list_proposals('expired') -> 0 ->> 'id', :'pid', 'it is listed as expired');
select is(public.list_proposals('all', :'eid') -> 0 ->> 'status', 'expired', 'and reads expired on its workflow');
reset role;
select is((select count(*)::int from app.brief_proposals_waiting(:'org', :'csm')), 0, 'the brief no longer tells it');
select is(app.expire_action_proposals(), 1, 'the hourly job marks it');
select is((select status from app.action_proposals where id = :'pid'), 'expired', 'as expired');

select * from finish();
rollback;
