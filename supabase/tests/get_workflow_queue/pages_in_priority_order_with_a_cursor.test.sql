-- Items come by lane, then priority; the cursor continues exactly where the page ended.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, risk_score, assigned_to)
select :'org', 'C' || g, g * 20000, 40 + g * 5, :'today'::date + g * 7, case when g % 2 = 0 then 70 end, :'csm'
  from generate_series(1, 8) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select tests.authenticate_as('e_csm');
select public.get_workflow_queue(5)::jsonb as p1 \gset
select public.get_workflow_queue(100)::jsonb as all_items \gset
select public.get_workflow_queue(100, :'p1'::jsonb ->> 'next_cursor')::jsonb as p2 \gset
select is(jsonb_array_length(:'p1'::jsonb -> 'items'), 5, 'a page of 5');
select is((select array_agg(i ->> 'execution_id' order by o) from jsonb_array_elements((:'p1'::jsonb -> 'items') || (:'p2'::jsonb -> 'items')) with ordinality x(i, o)),
          (select array_agg(i ->> 'execution_id' order by o) from jsonb_array_elements(:'all_items'::jsonb -> 'items') with ordinality x(i, o)),
          'page 1 + page 2 = the whole queue, in the same order, without gaps or repeats');
select ok((select bool_and(la < lb or (la = lb and a >= b)) from (
            select (i ->> 'priority_score')::int as a, lead((i ->> 'priority_score')::int) over (order by o) as b,
                   array_position(array['now', 'soon', 'planned'], i ->> 'lane') as la,
                   lead(array_position(array['now', 'soon', 'planned'], i ->> 'lane')) over (order by o) as lb
            from jsonb_array_elements(:'all_items'::jsonb -> 'items') with ordinality x(i, o)) y where b is not null),
          'lane first (now, soon, planned), then priority descending');
select is(:'p2'::jsonb -> 'next_cursor', 'null'::jsonb, 'the last page has no next cursor');

select * from finish();
rollback;
