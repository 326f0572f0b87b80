-- Equal scores: days until renewal ascending, then renewal/strategic/opportunity/risk, then id.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
-- Three manage-plan customers (arr 0, health 55, mid csm2): the renewal and strategic rows are forced to the same score.
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to) values
  (:'org', 'Later', 0, 55, :'today'::date + 100, :'csm2'),
  (:'org', 'Sooner', 0, 55, :'today'::date + 95, :'csm2');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
-- A manual opportunity and risk workflow on the "Sooner" customer.
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, total_steps)
select :'org', c.id, w.workflow_id, w.version_id, :'csm2', w.total_steps
  from app.customers c, app.effective_workflows(:'org') w
 where c.name = 'Sooner' and w.key in ('expansion-proposal', 'risk-intervention');
-- Same lane and score for everything in csm2's queue: tie-breaks decide.
update app.workflow_executions set priority_score = 50, queue_lane = 3 where assigned_to = :'csm2';
select tests.authenticate_as('e_csm2');
select is(
  (select array_agg(i ->> 'workflow_type' || ':' || (i -> 'customer' ->> 'name') order by o)
     from jsonb_array_elements(public.get_workflow_queue()::jsonb -> 'items') with ordinality as x(i, o)),
  array['renewal:Sooner', 'opportunity:Sooner', 'risk:Sooner', 'renewal:Later'],
  'nearer renewal first; for the same customer renewal, opportunity, risk');
-- Two renewals on the same day with the same score: id decides.
select tests.clear_authentication();
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to) values
  (:'org', 'Twin A', 0, 55, :'today'::date + 200, :'csm2'), (:'org', 'Twin B', 0, 55, :'today'::date + 200, :'csm2');
select app.run_orchestrator_for_org(:'org') is not null as ran2 \gset
update app.workflow_executions set priority_score = 50, queue_lane = 3 where assigned_to = :'csm2';
select is((select count(*)::int from app.workflow_executions where assigned_to = :'csm2'), 6, 'six items');
select tests.authenticate_as('e_csm2');
select is(
  (select array_agg(i ->> 'execution_id' order by o) from jsonb_array_elements(public.get_workflow_queue()::jsonb -> 'items') with ordinality as x(i, o)
    where i -> 'customer' ->> 'name' like 'Twin %'),
  (select array_agg(e.id::text order by e.id) from app.workflow_executions e join app.customers c on c.id = e.customer_id where c.name like 'Twin %'),
  'all else equal: by id');

select * from finish();
rollback;
