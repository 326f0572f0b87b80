-- A search of only whitespace or invisible characters — a zero-width space, a tab, a
-- no-break space — is no search: list_customers and the queue's filters.search list what
-- they list without one, as for a search of spaces; a search with invisible characters
-- around it looks for what is visible. (app.trimmed, migration 20261206255000.)
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, domain, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 'contoso.test', 180000, 68, :'today'::date + 3, :'csm'),
       (:'org', 'Fabrikam', 'fabrikam.test', 90000, 70, :'today'::date + 5, :'csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select tests.authenticate_as('e_csm');

select is(jsonb_array_length(public.list_customers(search => E'\u200b') -> 'items'), 2, 'list_customers: a zero-width space is no search');
select is(jsonb_array_length(public.list_customers(search => E'\t\u00a0') -> 'items'), 2, 'a tab and a no-break space neither');
select is((select array_agg(i ->> 'name') from jsonb_array_elements(public.list_customers(search => E'conto\u200b') -> 'items') i),
  array['Contoso'], 'a search with a zero-width space after it looks for what is visible');
select is((public.get_workflow_queue(filters => jsonb_build_object('search', E'\u200b'))::jsonb -> 'stats' ->> 'total')::int,
          (public.get_workflow_queue()::jsonb -> 'stats' ->> 'total')::int, 'the queue: a zero-width space is no search');
select ok((public.get_workflow_queue()::jsonb -> 'stats' ->> 'total')::int > 0, 'and the queue has work to show');
select is((select array_agg(distinct i -> 'customer' ->> 'name') from jsonb_array_elements(
            public.get_workflow_queue(filters => jsonb_build_object('search', E'\u2800fabri\t'))::jsonb -> 'items') i),
  array['Fabrikam'], 'a search with invisible characters around it finds the visible part');
select * from finish();
rollback;
