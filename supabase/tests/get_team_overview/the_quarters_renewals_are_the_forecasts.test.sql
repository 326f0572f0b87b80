-- The Team page's renewals this quarter and the Forecast page's quarter are one rule, the
-- forecast's (migration 20261210303000): every open renewal — worked or not — and every renewal
-- closed with an outcome. Before, the Team page counted an overdue renewal nobody works and left
-- out one closed with an outcome, the Forecast page the opposite ($990K / 9 against $930K / 8).
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
update app.organisation_settings set time_zone = 'UTC' where org_id = :'org';
select date_trunc('quarter', app.organisation_today(:'org'))::date as q_start \gset
select (date_trunc('quarter', app.organisation_today(:'org')) + interval '3 months')::date as q_end \gset
-- Both renewals fall in this quarter whatever today is: a few days on, or on its last day
-- when fewer are left (in its last week today + 5 was next quarter's, and the counts fell short).
select least(app.organisation_today(:'org') + 5, :'q_end'::date - 1) as worked_on \gset
select least(app.organisation_today(:'org') + 6, :'q_end'::date - 1) as renewed_on \gset
-- Worked: an open renewal workflow (the orchestrator's).
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Worked', 100000, 80, :'worked_on', :'csm') returning id as worked \gset
-- Renewed: its outcome recorded this quarter (its renewal date moves a year on).
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Renewed', 200000, 80, :'renewed_on', :'csm') returning id as renewed \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select tests.authenticate_as('e_manager');
select public.record_renewal_outcome(e.id, 'renewed') is not null as recorded
  from app.workflow_executions e where e.customer_id = :'renewed' and e.renewal_stage is not null and e.status in ('queued', 'in_progress') \gset
select tests.clear_authentication();
-- Nobody works it: 40 days past its renewal (no workflow; on the quarter's first day here).
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Lapsed', 400000, 80, :'q_start', :'csm') returning id as lapsed \gset
update app.workflow_executions set status = 'cancelled' where customer_id = :'lapsed';

select tests.authenticate_as('e_manager');
select public.get_team_overview() -> 'renewals' as team \gset
select public.get_renewal_forecast(:'q_start', :'q_end') -> 'totals' as forecast \gset
select public.get_renewal_forecast(:'q_start', :'q_end') -> 'items' as items \gset
select tests.clear_authentication();

select is((:'team'::jsonb ->> 'count')::int, (:'forecast'::jsonb ->> 'count')::int, 'the Team page counts the renewals the forecast counts');
select is((:'team'::jsonb ->> 'arr')::numeric, (:'forecast'::jsonb ->> 'current_arr')::numeric, 'and the same ARR');
select is((:'forecast'::jsonb ->> 'count')::int, 3, 'three: worked, renewed (closed with its outcome) and the one nobody works');
select is((:'forecast'::jsonb ->> 'current_arr')::numeric, 700000::numeric, 'at their ARR (the renewed one''s before it closed)');
select is((:'forecast'::jsonb -> 'open' ->> 'count')::int, 2, 'the one nobody works is an open renewal: it has no outcome');
select ok((select bool_or(i -> 'customer' ->> 'name' = 'Lapsed' and i ->> 'execution_id' is null) from jsonb_array_elements(:'items'::jsonb) i),
  'the forecast lists it, with no workflow to act on');

select * from finish();
rollback;
