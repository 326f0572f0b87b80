-- Who may not decide: another organisation (PT404), a viewer and a CSM on someone else's
-- workflow (42501); an expired proposal cannot be approved (PT409) and the hourly job
-- marks it expired.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.workflow_executions set status = 'in_progress' where id = :'eid';
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for)
values (:'org', :'eid', 'snooze', '{"days": 3, "reason": "Holiday"}', 'They are away', 'agent', 'test-agent', :'csm')
returning id as pid \gset
insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, source_ref, proposed_for, expires_at)
values (:'org', :'eid', 'snooze', '{"days": 4, "reason": "Old"}', 'Old idea', 'agent', 'test-agent', :'csm', now() - interval '1 minute')
returning id as old \gset

select tests.authenticate_as('o_manager');
select throws_ok(format('select public.decide_proposal(%L, true)', :'pid'), 'PT404', null, 'another organisation does not see it');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.decide_proposal(%L, true)', :'pid'), '42501', null, 'a viewer may not decide');
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.decide_proposal(%L, true)', :'pid'), '42501', null, 'a CSM may not decide on someone else''s workflow');
select throws_ok(format('select public.decide_proposal(%L, false)', :'pid'), '42501', null, 'nor reject it');
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.decide_proposal(%L, true)', :'old'), 'PT409', null, 'an expired proposal cannot be approved');
select tests.clear_authentication();
select is((select status from app.action_proposals where id = :'pid'), 'proposed', 'the refused decisions changed nothing');
select is(app.expire_action_proposals(), 1, 'the job expires the old one');
select is((select status from app.action_proposals where id = :'old'), 'expired', 'it reads expired');

select * from finish();
rollback;
