-- Filters are checked: unknown keys, wrong types and unknown values are 22023 with a hint.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_csm');
select throws_ok($$select public.get_workflow_queue(filters => '[]')::jsonb$$, '22023', 'filters must be a JSON object', 'an array');
select throws_ok($$select public.get_workflow_queue(filters => '"now"')::jsonb$$, '22023', 'filters must be a JSON object', 'a string');
select throws_ok($$select public.get_workflow_queue(filters => '{"lane": ["now"]}')::jsonb$$, '22023', 'filters has an unknown key "lane"', 'an unknown key');
select throws_ok($$select public.get_workflow_queue(filters => '{"lanes": "now"}')::jsonb$$, '22023', 'filters.lanes must be an array of strings', 'a string for a list');
select throws_ok($$select public.get_workflow_queue(filters => '{"types": [1]}')::jsonb$$, '22023', 'filters.types must be an array of strings', 'a number in a list');
select throws_ok($$select public.get_workflow_queue(filters => '{"lanes": ["later"]}')::jsonb$$, '22023', 'filters.lanes has an unknown value "later"', 'an unknown lane');
select throws_ok($$select public.get_workflow_queue(filters => '{"stages": ["overdue"]}')::jsonb$$, '22023', 'filters.stages has an unknown value "overdue"', 'stages are case-sensitive names');
select throws_ok($$select public.get_workflow_queue(filters => '{"plans": ["grow"]}')::jsonb$$, '22023', 'filters.plans has an unknown value "grow"', 'an unknown plan');
select throws_ok($$select public.get_workflow_queue(filters => '{"search": 42}')::jsonb$$, '22023', 'filters.search must be a string', 'a number for search');
select throws_ok($$select public.get_workflow_queue(filters => jsonb_build_object('search', repeat('x', 201)))::jsonb$$, '22023',
                 'filters.search is longer than 200 characters', 'an overlong search');
select is((select count(*)::int from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'public' and p.proname = 'get_workflow_queue'), 1, 'one signature (no overload for PostgREST to choose between)');

select * from finish();
rollback;
