-- A forecast change on the timeline names its category as the Forecast page does ("Commit",
-- "At risk", "Churn expected") and its ARR as money ("$60,000"); before, the key in lower case
-- and a bare number ("Forecast: at risk at 60,000"), beside the page's "At risk".
begin;
select plan(4);
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Globex', 80000, 70, :'today'::date + 200, :'csm') returning id as cust \gset
insert into app.workflows (org_id, key, name, workflow_type, base_score) values (:'org', 'fc-flow', 'Forecast flow', 'custom', 50) returning id as wf \gset
insert into app.workflow_versions (workflow_id, org_id, version, config) values (:'wf', :'org', 1, '{"steps": [{"key": "a", "title": "A"}]}') returning id as wv \gset
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, total_steps, status)
values (:'org', :'cust', :'wf', :'wv', :'csm', 1, 'queued') returning id as ex \gset
-- One change of each kind a person makes (inserted directly, as the forecast release's trigger writes them).
insert into app.renewal_forecast_history (org_id, execution_id, customer_id, renewal_date, category, forecast_arr, changed_by, changed_at)
values (:'org', :'ex', :'cust', :'today'::date + 200, 'at_risk', 60000, :'csm', now() - interval '4 hours'),
       (:'org', :'ex', :'cust', :'today'::date + 200, 'churn_expected', null, :'csm', now() - interval '3 hours'),
       (:'org', :'ex', :'cust', :'today'::date + 200, 'commit', 1250000.5, :'csm', now() - interval '2 hours'),
       (:'org', :'ex', :'cust', :'today'::date + 200, 'probable', 0, :'csm', now() - interval '1 hour');

select tests.authenticate_as('e_csm');
create temporary table titles on commit drop as
  select i ->> 'title' as title, (i ->> 'occurred_at')::timestamptz as at
    from jsonb_array_elements(public.get_customer_timeline(:'cust', 50, null, '["forecast_change"]'::jsonb) -> 'items') i;
select is((select title from titles order by at limit 1), 'Forecast: At risk at $60,000', 'a category of two words, as the Forecast page says it, and its ARR as money');
select is((select title from titles order by at offset 1 limit 1), 'Forecast: Churn expected', 'no ARR named, none said');
select is((select title from titles order by at offset 2 limit 1), 'Forecast: Commit at $1,250,001', 'whole dollars, with thousands separated');
select is((select title from titles order by at offset 3 limit 1), 'Forecast: Probable at $0', 'an ARR of nothing is said');

select * from finish();
rollback;
