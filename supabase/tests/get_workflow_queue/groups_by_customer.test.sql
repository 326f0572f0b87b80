-- group_by_customer: one row per customer (its first item by the queue order) with the
-- count and kinds of its other open items; pages by cursor; stats still count items.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, risk_score, assigned_to) values
  (:'org', 'Far Co', 200000, 70, :'today'::date + 220, 65, :'csm'),
  (:'org', 'Overdue Co', 20000, 42, :'today'::date - 12, null, :'csm');
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
select :'org', 'Bulk ' || g, 0, 55, :'today'::date + 40 + g, :'csm' from generate_series(1, 6) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select tests.authenticate_as('e_csm');
select public.get_workflow_queue(100)::jsonb as flat \gset
select public.get_workflow_queue(100, null, null, false, '{}', true)::jsonb as grouped \gset

select is(jsonb_array_length(:'grouped'::jsonb -> 'items'), 8, 'one row per customer');
select is((select i ->> 'execution_id' from jsonb_array_elements(:'grouped'::jsonb -> 'items') i where i -> 'customer' ->> 'name' = 'Far Co'),
          (select i ->> 'execution_id' from jsonb_array_elements(:'flat'::jsonb -> 'items') with ordinality x(i, o)
            where i -> 'customer' ->> 'name' = 'Far Co' order by o limit 1),
          'a customer''s row is its first item in the queue order');
select is((select i -> 'other_items' from jsonb_array_elements(:'grouped'::jsonb -> 'items') i where i -> 'customer' ->> 'name' = 'Far Co'),
          '{"count": 3, "kinds": ["renewal", "strategic"]}'::jsonb,
          'Far Co: its risk assessment first, then 3 others (a renewal and two strategic reviews)');
select is((select i -> 'other_items' from jsonb_array_elements(:'grouped'::jsonb -> 'items') i where i -> 'customer' ->> 'name' = 'Overdue Co'),
          '{"count": 0, "kinds": []}'::jsonb, 'a customer with one item has no others');
select is((select array_agg(i ->> 'execution_id' order by o) from jsonb_array_elements(:'grouped'::jsonb -> 'items') with ordinality x(i, o)),
          (select array_agg(id order by o) from (
             select distinct on (i -> 'customer' ->> 'id') i ->> 'execution_id' as id, o
               from jsonb_array_elements(:'flat'::jsonb -> 'items') with ordinality x(i, o)
              order by i -> 'customer' ->> 'id', o) h),
          'rows in the queue order of their first items');
select is(:'grouped'::jsonb -> 'stats', :'flat'::jsonb -> 'stats', 'the stats count items, grouped or not');
select ok(not (:'flat'::jsonb -> 'items' -> 0 ? 'other_items'), 'ungrouped items carry no other_items');

select public.get_workflow_queue(3, null, null, false, '{}', true)::jsonb as g1 \gset
select public.get_workflow_queue(3, :'g1'::jsonb ->> 'next_cursor', null, false, '{}', true)::jsonb as g2 \gset
select public.get_workflow_queue(3, :'g2'::jsonb ->> 'next_cursor', null, false, '{}', true)::jsonb as g3 \gset
select is((select array_agg(i ->> 'execution_id' order by p, o) from (
             select 1 as p, * from jsonb_array_elements(:'g1'::jsonb -> 'items') with ordinality x(i, o)
             union all select 2, * from jsonb_array_elements(:'g2'::jsonb -> 'items') with ordinality x(i, o)
             union all select 3, * from jsonb_array_elements(:'g3'::jsonb -> 'items') with ordinality x(i, o)) y),
          (select array_agg(i ->> 'execution_id' order by o) from jsonb_array_elements(:'grouped'::jsonb -> 'items') with ordinality x(i, o)),
          'grouped pages of 3 join up to the whole grouped queue');

select * from finish();
rollback;
