-- Rule 1: a customer with a renewal date gets one open renewal execution for its current stage.
begin;
select plan(4);
set client_min_messages = warning;
select tests.create_organisation('Engine Org') as org \gset
select tests.create_member('e_admin', :'org', 'admin', 'expert') as admin \gset
select tests.create_member('e_manager', :'org', 'manager', 'senior') as manager \gset
select tests.create_member('e_csm', :'org', 'csm', 'senior') as csm \gset
select tests.create_member('e_csm2', :'org', 'csm', 'junior') as csm2 \gset
select tests.create_member('e_viewer', :'org', 'viewer') as viewer \gset
update app.profiles set manager_id = :'manager' where id in (:'csm', :'csm2');
select tests.create_organisation('Other Org') as other_org \gset
select tests.create_member('o_manager', :'other_org', 'manager') as other_manager \gset
select tests.create_member('o_csm', :'other_org', 'csm') as other_csm \gset
select app.organisation_today(:'org') as today \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.workflow_type = 'renewal' and app.is_open_status(e.status)), 1, 'one open renewal execution');
select is((select w.key from app.workflow_executions e join app.workflows w on w.id = e.workflow_id where e.id = :'eid'), 'emergency', 'for the Emergency stage');
select is((select assigned_to from app.workflow_executions where id = :'eid'), :'csm'::uuid, 'assigned to the customer''s CSM');
select is(jsonb_array_length(public.get_workflow_execution(:'eid') -> 'steps'),
          (select total_steps from app.workflow_executions where id = :'eid'), 'with every step of its definition');

select * from finish();
rollback;
