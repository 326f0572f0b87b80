-- cancel_workflow: its CSM (or a manager) cancels an open workflow with a reason; other
-- CSMs, viewers and other organisations may not; escalated and closed are PT409.
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select e.id as other from app.workflow_executions e where e.customer_id = :'cust' and e.id <> :'eid' limit 1 \gset

select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.cancel_workflow(%L, %L)', :'eid', 'x'), '42501', null, 'another csm may not');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.cancel_workflow(%L, %L)', :'eid', 'x'), '42501', null, 'a viewer may not');
select tests.authenticate_as('o_manager');
select throws_ok(format('select public.cancel_workflow(%L, %L)', :'eid', 'x'), 'PT404', null, 'another organisation: not found');
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.cancel_workflow(%L, %L)', :'eid', ''), '22023', null, 'a reason is required');
select is(public.cancel_workflow(:'eid', 'Customer churned to a competitor') ->> 'status', 'cancelled', 'cancelled');
select is((select metadata -> 'history' -> -1 ->> 'reason' from app.workflow_executions where id = :'eid'),
  'Customer churned to a competitor', 'the reason is in its history');
select throws_ok(format('select public.cancel_workflow(%L, %L)', :'eid', 'again'), 'PT409', null, 'a cancelled workflow cannot be cancelled');

select public.execute_action('escalate', :'other', '{"reason": "Need help"}') is not null as esc \gset
select throws_ok(format('select public.cancel_workflow(%L, %L)', :'other', 'x'), 'PT409', null, 'an escalated workflow waits for its decision');

-- A manager cancels someone's workflow: its CSM is told.
select tests.clear_authentication();
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Fabrikam', 90000, 70, :'today'::date + 3, :'csm') returning id as cust2 \gset
select app.run_orchestrator_for_org(:'org') is not null as ran2 \gset
select e.id as third from app.workflow_executions e where e.customer_id = :'cust2' limit 1 \gset
select tests.authenticate_as('e_manager');
select is(public.cancel_workflow(:'third', 'Duplicate of the renewal') ->> 'status', 'cancelled', 'a manager may cancel');
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'csm' and data ->> 'execution_id' = :'third' and data ->> 'event' = 'cancelled'),
  1, 'its csm is told');

select * from finish();
rollback;
