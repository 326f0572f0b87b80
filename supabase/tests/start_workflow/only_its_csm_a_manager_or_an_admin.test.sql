-- Another csm 42501, a viewer 42501, another org PT404, a manager may.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.start_workflow(%L)', :'eid'), '42501', null, 'another csm may not');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.start_workflow(%L)', :'eid'), '42501', null, 'a viewer may not');
select tests.authenticate_as('o_manager');
select throws_ok(format('select public.start_workflow(%L)', :'eid'), 'PT404', null, 'another organisation: not found');
select tests.authenticate_as('e_manager');
select is(public.start_workflow(:'eid') ->> 'status', 'in_progress', 'a manager may');

select * from finish();
rollback;
