-- Customers fewer than 30 days overdue keep a renewal execution; 30 or more get none.
begin;
select plan(3);
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
insert into app.customers (org_id, name, renewal_date, assigned_to) values
  (:'org', 'Late 29', :'today'::date - 29, :'csm'), (:'org', 'Late 30', :'today'::date - 30, :'csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select is((select count(*)::int from app.workflow_executions e join app.customers c on c.id = e.customer_id join app.workflows w on w.id = e.workflow_id
            where c.name = 'Late 29' and w.key = 'overdue' and e.status = 'queued'), 1, '29 days overdue: an Overdue execution');
select is((select count(*)::int from app.workflow_executions e join app.customers c on c.id = e.customer_id where c.name = 'Late 30'), 0, '30 days overdue: none');
-- A day later the 29-day one crosses the cut-off: its execution is closed.
select app.run_orchestrator_for_org(:'org', :'today'::date + 1) is not null as ran2 \gset
select is((select e.status from app.workflow_executions e join app.customers c on c.id = e.customer_id where c.name = 'Late 29'), 'superseded', 'crossing the cut-off closes it');

select * from finish();
rollback;
