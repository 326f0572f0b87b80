-- list_customers filters {plans, stages, assignee_id} and sorts priority / arr / renewal /
-- health / name: each sort pages through the filtered customers once in its order, a cursor
-- of another sort is refused, bad filters are 22023, and another organisation's customers
-- never appear.
begin;
select plan(18);
select * from tests.create_engine_world() \gset
-- 12 customers: stages from Overdue to Monitor, plans from ARR/health, two assignees,
-- one without a renewal date and one without ARR.
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
select :'org', format('Cust %s', lpad(n::text, 2, '0')),
       case when n = 5 then null else (n * 17000) % 200000 end,
       case when n = 7 then null else 30 + (n * 13) % 70 end,
       case when n = 9 then null else :'today'::date + (array[-5, 3, 10, 20, 45, 75, 100, 150, 0, 400, 3, 10])[n] end,
       case when n % 2 = 0 then :'csm'::uuid else :'csm2'::uuid end
  from generate_series(1, 12) n;
insert into app.customers (org_id, name, arr, health_score, renewal_date) values (:'other_org', 'Elsewhere', 500000, 90, :'today'::date + 3);

select tests.authenticate_as('e_csm');
create temporary table walk (sort text, filters jsonb, n int, item jsonb) on commit drop;
grant all on walk to authenticated;
create function pg_temp.walk(s text, f jsonb) returns void language plpgsql as $$
declare c text := null; p jsonb; n int := 0;
begin
  loop
    p := public.list_customers(null, 5, c, f, s);
    insert into walk select s, f, n * 100 + o::int, i from jsonb_array_elements(p -> 'items') with ordinality x(i, o);
    n := n + 1;
    c := p ->> 'next_cursor';
    exit when c is null or n > 20;
  end loop;
end $$;
select pg_temp.walk(s, '{}') from unnest(array['priority', 'arr', 'renewal', 'health', 'name']) s;

select is((select count(*)::int from walk where sort = 'name'), 12, 'name: every customer of the organisation once');
select is((select count(distinct item ->> 'id')::int from walk where sort = 'priority'), 12, 'priority: every customer once');
select is((select array_agg(item ->> 'name' order by n) from walk where sort = 'name'),
  (select array_agg(name order by lower(name), id) from app.customers where org_id = :'org'), 'name order');
select is((select array_agg(item ->> 'name' order by n) from walk where sort = 'arr'),
  (select array_agg(name order by coalesce(arr, -1) desc, id desc) from app.customers where org_id = :'org'), 'arr: largest first, no ARR last');
select is((select array_agg(item ->> 'name' order by n) from walk where sort = 'renewal'),
  (select array_agg(name order by coalesce(decision_date, 'infinity'), id) from app.customers where org_id = :'org'), 'renewal: soonest decision first, none last');
select is((select array_agg(item ->> 'name' order by n) from walk where sort = 'health'),
  (select array_agg(name order by coalesce(health_score, 1000), id) from app.customers where org_id = :'org'), 'health: weakest first, unknown last');
select is((select array_agg(item ->> 'name' order by n) from walk where sort = 'priority'),
  (select array_agg(name order by coalesce(app.renewal_stage_urgency(renewal_stage), -1) desc, coalesce(arr, -1) desc, id desc) from app.customers where org_id = :'org'),
  'priority: most urgent stage first, then ARR');
select is((select item ->> 'renewal_stage' from walk where sort = 'priority' order by n limit 1), 'Overdue', 'the overdue renewal leads');

-- Filters, paged.
select pg_temp.walk('name', jsonb_build_object('assignee_id', :'csm'));
select is((select count(*)::int from walk where filters ? 'assignee_id'), 6, 'assignee filter');
select ok((select bool_and(item ->> 'assigned_to' = :'csm') from walk where filters ? 'assignee_id'), 'only that person''s customers');
select pg_temp.walk('renewal', '{"stages": ["Emergency", "Critical"]}');
select is((select array_agg(item ->> 'renewal_stage' order by n) from walk where filters ? 'stages'),
  array['Emergency', 'Emergency', 'Critical', 'Critical'], 'stage filter (as of today) across pages');
select is((select array_agg(i ->> 'name') from jsonb_array_elements(public.list_customers(null, 50, null, '{"stages": ["Monitor"]}', 'renewal') -> 'items') i),
  array['Cust 10'], 'Monitor: the far renewal, never the customer without a renewal date');
select pg_temp.walk('arr', '{"plans": ["monitor"]}');
select is((select count(*)::int from walk where filters ? 'plans'),
  (select count(*)::int from app.customers where org_id = :'org' and account_plan = 'monitor'), 'plan filter');

select throws_ok($$ select public.list_customers(filters => '{"stages": ["Later"]}') $$, '22023', null, 'unknown stage');
select throws_ok($$ select public.list_customers(filters => '{"colour": ["red"]}') $$, '22023', null, 'unknown filter key');
select throws_ok($$ select public.list_customers(sort => 'size') $$, '22023', null, 'unknown sort');
select throws_ok(format($$ select public.list_customers(null, 5, %L, '{}', 'name') $$,
  (public.list_customers(null, 5, null, '{}', 'arr') ->> 'next_cursor')), '22023', null, 'a cursor of another sort is refused');
select tests.authenticate_as('o_csm');
select is((select array_agg(i ->> 'name') from jsonb_array_elements(public.list_customers(null, 50, null, '{"stages": ["Emergency"]}', 'priority') -> 'items') i),
  array['Elsewhere'], 'another organisation sees only its own');

select * from finish();
rollback;
