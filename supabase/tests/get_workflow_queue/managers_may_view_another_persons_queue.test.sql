-- Managers and admins may pass assignee_id of their org; a csm or viewer asking for someone else gets 42501.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_manager');
select ok(jsonb_array_length(public.get_workflow_queue(50, null, :'csm')::jsonb -> 'items') > 0, 'a manager sees the csm''s queue');
select tests.authenticate_as('e_admin');
select ok(jsonb_array_length(public.get_workflow_queue(50, null, :'csm')::jsonb -> 'items') > 0, 'an admin too');
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.get_workflow_queue(50, null, %L)::jsonb', :'csm'), '42501', null, 'a csm may not');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.get_workflow_queue(50, null, %L)::jsonb', :'csm'), '42501', null, 'a viewer may not');
select tests.authenticate_as('o_manager');
select throws_ok(format('select public.get_workflow_queue(50, null, %L)::jsonb', :'csm'), 'PT404', null, 'another organisation''s manager: not found');

select * from finish();
rollback;
