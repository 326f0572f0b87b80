-- Closed workflow PT409; another csm 42501; viewer 42501; other org PT404; unknown action 22023.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"reason": "x"}'), '42501', null, 'another csm may not');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"reason": "x"}'), '42501', null, 'a viewer may not');
select tests.authenticate_as('o_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"reason": "x"}'), 'PT404', null, 'another organisation: not found');
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'teleport', :'eid', '{}'), '22023', null, 'an unknown action');
select public.start_workflow(:'eid') is not null as s \gset
select public.complete_step(:'eid', (select current_step_key from app.workflow_executions where id = :'eid')) is not null as step \gset
select public.complete_workflow(:'eid', '{}', true, 'Handled on a call') is not null as c \gset
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'snooze', :'eid', '{"reason": "x"}'), 'PT409', null, 'a completed workflow refuses actions');

select * from finish();
rollback;
