-- list_tasks: every task names its customer; due views today / overdue / this_week;
-- priority filter and sorts with keyset pages; a manager reads their team's tasks, a csm
-- may not read anyone else's, another organisation sees nothing.
begin;
select plan(14);
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Globex', :'csm') returning id as cust \gset
insert into app.workflow_tasks (org_id, customer_id, title, assigned_to, priority, due_date, status, created_at)
values
  (:'org', :'cust', 'Overdue call', :'csm', 'high', now() - interval '2 days', 'pending', now() - interval '5 days'),
  -- later today (UTC, the time zone set below) at any hour the test runs: halfway from now to
  -- midnight, so never already past (overdue means due before now()) nor tomorrow
  (:'org', :'cust', 'Due today', :'csm', 'low',
   now() + ((((now() at time zone 'UTC')::date + 1)::timestamp at time zone 'UTC') - now()) / 2, 'pending', now() - interval '4 days'),
  (:'org', :'cust', 'In three days', :'csm', 'urgent', now() + interval '3 days', 'pending', now() - interval '3 days'),
  (:'org', :'cust', 'Next month', :'csm', 'medium', now() + interval '30 days', 'pending', now() - interval '2 days'),
  (:'org', :'cust', 'No date', :'csm', 'medium', null, 'pending', now() - interval '1 day'),
  (:'org', :'cust', 'Junior task', :'csm2', 'medium', now() + interval '1 day', 'pending', now()),
  (:'org', :'cust', 'Done', :'csm', 'medium', now(), 'completed', now());
update app.organisation_settings set time_zone = 'UTC' where org_id = :'org';

select tests.authenticate_as('e_csm');
select is((select array_agg(i ->> 'title' order by o) from jsonb_array_elements(public.list_tasks() -> 'items') with ordinality x(i, o)),
  array['Overdue call', 'Due today', 'In three days', 'Next month', 'No date'], 'my open tasks by due date');
select ok((select bool_and(i -> 'customer' ->> 'name' = 'Globex' and i ->> 'customer_name' = 'Globex') from jsonb_array_elements(public.list_tasks() -> 'items') i), 'each names its customer');
select is((select array_agg(i ->> 'title') from jsonb_array_elements(public.list_tasks(filters => '{"due": "overdue"}') -> 'items') i), array['Overdue call'], 'overdue view');
select ok('Due today' = any(select i ->> 'title' from jsonb_array_elements(public.list_tasks(filters => '{"due": "today"}') -> 'items') i), 'today view');
select is((select array_agg(i ->> 'title' order by o) from jsonb_array_elements(public.list_tasks(filters => '{"due": "this_week"}') -> 'items') with ordinality x(i, o)
            where i ->> 'title' <> 'Overdue call'),
  array['Due today', 'In three days'], 'this week view');
select is((select array_agg(i ->> 'title' order by o) from jsonb_array_elements(public.list_tasks(sort => 'priority') -> 'items') with ordinality x(i, o)),
  array['In three days', 'Overdue call', 'Next month', 'No date', 'Due today'], 'priority sort: urgent first, then due');
select is((select array_agg(i ->> 'title') from jsonb_array_elements(public.list_tasks(filters => '{"priorities": ["urgent", "low"]}') -> 'items') i),
  array['Due today', 'In three days'], 'priority filter');
-- Pages of 2 in "created" order (newest first) visit all five once.
select is((with recursive p(n, page) as (
             select 1, public.list_tasks(page_size => 2, sort => 'created')
             union all
             select n + 1, public.list_tasks(page_size => 2, sort => 'created', cursor => page ->> 'next_cursor') from p where page ->> 'next_cursor' is not null)
           select array_agg(i ->> 'title' order by p.n, o) from p, jsonb_array_elements(p.page -> 'items') with ordinality x(i, o)),
  array['No date', 'Next month', 'In three days', 'Due today', 'Overdue call'], 'created sort pages newest first');
select throws_ok(format($$ select public.list_tasks(filters => '{"assignee_id": "%s"}') $$, :'csm2'), '42501', null, 'a csm may not read another''s tasks');
select throws_ok($$ select public.list_tasks(filters => '{"team": true}') $$, '42501', null, 'nor the team''s');
select throws_ok($$ select public.list_tasks(filters => '{"due": "someday"}') $$, '22023', null, 'unknown due view');

select tests.authenticate_as('e_manager');
select is((select count(*)::int from jsonb_array_elements(public.list_tasks(filters => '{"team": true}') -> 'items') i), 6, 'a manager reads the team''s open tasks');
select is((select array_agg(i ->> 'title') from jsonb_array_elements(public.list_tasks(filters => jsonb_build_object('assignee_id', :'csm2')) -> 'items') i),
  array['Junior task'], 'or one person''s, with the assignee named');
select tests.authenticate_as('o_manager');
select is(public.list_tasks(filters => '{"team": true}') -> 'items', '[]'::jsonb, 'another organisation sees none');

select * from finish();
rollback;
