-- Customers fewer than 30 days overdue keep a renewal execution; 30 or more get none.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
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
