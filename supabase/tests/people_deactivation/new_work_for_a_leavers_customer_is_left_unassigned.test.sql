-- A customer whose CSM has been deactivated still gets its renewal work, but that work is
-- opened unassigned (for the team to pick up), not in the queue of someone who can no longer
-- sign in. Customers of active CSMs are untouched.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
update app.profiles set deactivated_at = now() where id = :'csm2';
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Leaver Co', 50000, 60, :'today'::date + 3, :'csm2') returning id as leavers \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Stayer Co', 50000, 60, :'today'::date + 3, :'csm') returning id as stayers \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset

select is((select count(*)::int from app.workflow_executions where customer_id = :'leavers' and assigned_to = :'csm2'), 0,
          'the orchestrator gives the leaver no new work');
select is((select count(*)::int from app.workflow_executions where customer_id = :'leavers' and assigned_to is null), 1,
          'the customer''s renewal is opened unassigned instead');
select is((select count(*)::int from app.workflow_executions where customer_id = :'stayers' and assigned_to = :'csm'), 1,
          'an active csm''s customer is opened for them as before');

select * from finish();
rollback;
