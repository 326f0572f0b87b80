-- Filters (types, stages, plans, lanes, search) apply to items and stats alike, across pages.
begin;
select plan(14);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, domain, arr, health_score, renewal_date, risk_score, assigned_to) values
  (:'org', 'Overdue Co', 'overdue.example', 20000, 42, :'today'::date - 12, null, :'csm'),
  (:'org', 'Far Co', 'far.example', 200000, 70, :'today'::date + 220, null, :'csm'),
  (:'org', 'Signing Co', 'signing.example', 20000, 55, :'today'::date + 20, null, :'csm'),
  (:'org', 'Burning 100% Co', 'burning.example', 20000, 55, :'today'::date + 300, 85, :'csm');
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
select :'org', 'Bulk ' || g, 0, 55, :'today'::date + 2, :'csm' from generate_series(1, 30) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select tests.authenticate_as('e_csm');

create temporary table f on commit drop as
select fl, public.get_workflow_queue(200, null, null, false, fl::jsonb)::jsonb as r
  from (values ('{"stages": ["Overdue"]}'), ('{"lanes": ["soon"]}'), ('{"types": ["strategic"]}'),
               ('{"plans": ["invest"]}'), ('{"search": "FAR.ex"}'), ('{"search": "100%"}'), ('{"search": "1_0"}'),
               ('{"lanes": ["now"], "types": ["risk"]}'), ('{"types": [], "search": "  "}'), ('{}')) v(fl);
grant select on f to authenticated;

select is((select array_agg(i -> 'customer' ->> 'name') from f, jsonb_array_elements(r -> 'items') i where fl = '{"stages": ["Overdue"]}'),
          array['Overdue Co'], 'stage Overdue: the overdue renewal only');
select is((select (r -> 'stats' -> 'by_stage' ->> 'Overdue')::int from f where fl = '{}'),
          (select jsonb_array_length(r -> 'items') from f where fl = '{"stages": ["Overdue"]}'),
          'the stats'' Overdue count is what the Overdue filter shows');
select ok((select bool_and(i ->> 'lane' = 'soon') and count(*) > 0 from f, jsonb_array_elements(r -> 'items') i where fl = '{"lanes": ["soon"]}'),
          'lane soon: only soon items');
select ok((select bool_and(i ->> 'workflow_type' = 'strategic') and count(*) = 2 from f, jsonb_array_elements(r -> 'items') i where fl = '{"types": ["strategic"]}'),
          'type strategic: the two scheduled reviews');
select ok((select bool_and(i -> 'customer' ->> 'account_plan' = 'invest') and count(*) > 0 from f, jsonb_array_elements(r -> 'items') i where fl = '{"plans": ["invest"]}'),
          'plan invest: invest items only');
select ok((select bool_and(i -> 'customer' ->> 'name' = 'Far Co') and count(*) = 3 from f, jsonb_array_elements(r -> 'items') i where fl = '{"search": "FAR.ex"}'),
          'search matches the domain, case-insensitively');
select is((select array_agg(distinct i -> 'customer' ->> 'name') from f, jsonb_array_elements(r -> 'items') i where fl = '{"search": "100%"}'),
          array['Burning 100% Co'], 'a % in the search text matches itself');
select is((select jsonb_array_length(r -> 'items') from f where fl = '{"search": "1_0"}'), 0, 'an _ in the search text matches itself');
select is((select array_agg(i ->> 'workflow_key') from f, jsonb_array_elements(r -> 'items') i where fl = '{"lanes": ["now"], "types": ["risk"]}'),
          array['risk-assessment'], 'filters combine (and)');
select is((select r -> 'stats' ->> 'total' from f where fl = '{"types": [], "search": "  "}'),
          (select r -> 'stats' ->> 'total' from f where fl = '{}'), 'an empty list and blank search filter nothing');
select ok((select bool_and((r -> 'stats' ->> 'total')::int = jsonb_array_length(r -> 'items')) from f),
          'under every filter the stats total is the number of items');
select is((select (r -> 'stats' -> 'by_type' ->> 'strategic')::int from f where fl = '{"types": ["strategic"]}'), 2,
          'stats follow the filter');

-- Pages under a filter: every page filtered, nothing repeated or lost.
select public.get_workflow_queue(7, null, null, false, '{"lanes": ["now"]}')::jsonb as p1 \gset
select public.get_workflow_queue(200, :'p1'::jsonb ->> 'next_cursor', null, false, '{"lanes": ["now"]}')::jsonb as p2 \gset
select is((select count(distinct i ->> 'execution_id')::int from jsonb_array_elements((:'p1'::jsonb -> 'items') || (:'p2'::jsonb -> 'items')) i),
          (:'p1'::jsonb -> 'stats' ->> 'total')::int, 'two pages of lane now hold the whole lane');
select ok((select bool_and(i ->> 'lane' = 'now') from jsonb_array_elements(:'p2'::jsonb -> 'items') i), 'the second page is filtered too');

select * from finish();
rollback;
