-- list_customers filters.forecast: the category of the customer's open renewal (derived
-- at_risk / probable until a person sets one); customers without an open renewal match no
-- category; an unknown category is 22023.
begin;
select plan(4);
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to) values
  (:'org', 'Weak', 90000, 40, :'today'::date + 40, :'csm'),
  (:'org', 'Strong', 90000, 85, :'today'::date + 40, :'csm'),
  (:'org', 'No renewal open', 90000, 40, :'today'::date + 40, :'csm');
-- An open renewal as the orchestrator opens it (with its stage).
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, total_steps, renewal_stage)
select :'org', c.id, w.workflow_id, w.version_id, :'csm', w.total_steps, 'Finalize'
  from app.customers c, lateral (select * from app.effective_workflows(:'org') w where w.workflow_type = 'renewal' order by w.key limit 1) w
 where c.org_id = :'org' and c.name in ('Weak', 'Strong');

select tests.authenticate_as('e_csm');
select is((select array_agg(i ->> 'name') from jsonb_array_elements(public.list_customers(filters => '{"forecast": ["at_risk"]}') -> 'items') i),
  array['Weak'], 'at risk: the weak customer with an open renewal');
select is((select array_agg(i ->> 'name') from jsonb_array_elements(public.list_customers(filters => '{"forecast": ["probable"]}') -> 'items') i),
  array['Strong'], 'probable: the healthy one');
select is((select count(*)::int from jsonb_array_elements(public.list_customers(filters => '{"forecast": ["at_risk", "probable", "commit", "churn_expected"]}') -> 'items') i
            where i ->> 'name' = 'No renewal open'), 0, 'no open renewal, no category');
select throws_ok($$ select public.list_customers(filters => '{"forecast": ["maybe"]}') $$, '22023', null, 'unknown category');
select * from finish();
rollback;
