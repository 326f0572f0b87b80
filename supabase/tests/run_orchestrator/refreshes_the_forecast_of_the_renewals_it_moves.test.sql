-- A run refreshes the forecast rows of the customers whose renewals it superseded or
-- opened, and no others (migration 20261205173000): the executions' forecast trigger is
-- paused while the run writes, and the run applies that trigger's rule once after. A full
-- run looks at every customer, but a customer whose renewal did not move keeps its row
-- untouched, even when the run opens other work for it; one whose renewal it closes without
-- a successor loses its row. Each customer's row is made stale
-- by hand before the run, so the test sees which rows the run rewrote.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as moved \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Fabrikam', 90000, 80, :'today'::date + 100, :'csm') returning id as still \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Initech', 60000, 75, :'today'::date + 100, :'csm') returning id as risky \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Umbrella', 30000, 70, :'today'::date + 100, :'csm') returning id as lapsed \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset

-- After the first run: a new customer (its first renewal opens next run), and a risk score
-- that opens a risk play (not a renewal) for a customer whose renewal stays where it is.
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Globex', 40000, 90, :'today'::date + 100, :'csm') returning id as fresh \gset
update app.customers set risk_score = 75 where id = :'risky';
-- Umbrella's renewal date is removed: its row goes at once (the customers trigger), and a
-- stale one is put back by hand; the run supersedes its renewal and opens no successor.
update app.customers set renewal_date = null where id = :'lapsed';
insert into app.forecast_open_renewals (org_id, customer_id, renewal_date, name, assigned_to, category, category_source, current_arr, forecast_arr)
values (:'org', :'lapsed', :'today'::date + 100, 'stale', :'csm', 'probable', 'derived', 30000, 30000);
update app.forecast_open_renewals set name = 'stale' where org_id = :'org';

-- Four days on: Contoso's renewal is overdue (superseded, its successor opened); Fabrikam's,
-- Initech's and Globex's stage stays Engage.
select app.run_orchestrator_for_org(:'org', :'today'::date + 4, full_run => true) as r \gset
select is(:'r'::jsonb ->> 'mode', 'full', 'the run looked at every customer');
select is_empty(format($$select * from app.forecast_wanted_rows(array[%L::uuid])
                         except select * from app.forecast_open_renewals where customer_id = %L$$, :'moved', :'moved'),
                'the customer whose renewal moved on has its row computed afresh');
select is((select name from app.forecast_open_renewals where customer_id = :'still'), 'stale',
          'a customer whose renewal stayed keeps its row untouched');
select isnt_empty(format($$select 1 from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
                           where e.customer_id = %L and w.workflow_type = 'risk'
                             and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')$$, :'risky'),
                  'the run opened a risk play for the risky customer');
select is((select name from app.forecast_open_renewals where customer_id = :'risky'), 'stale',
          'and that play, not a renewal, left its forecast row untouched');
select is((select name from app.forecast_open_renewals where customer_id = :'fresh'), 'Globex',
          'the new customer''s first renewal, opened by the run, has its row');
select is_empty(format($$select * from app.forecast_wanted_rows(array[%L::uuid])
                         except select * from app.forecast_open_renewals where customer_id = %L$$, :'fresh', :'fresh'),
                'and that row is what a fresh computation gives');

select is_empty(format($$select 1 from app.forecast_open_renewals where customer_id = %L$$, :'lapsed'),
                'a customer whose renewal the run closed without a successor loses its row');

select * from finish();
