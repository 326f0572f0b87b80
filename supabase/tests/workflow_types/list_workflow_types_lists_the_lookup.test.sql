-- list_workflow_types() gives the lookup app.workflow_types to signed-in members, in its
-- order and with its labels, so the web app lists no types of its own: a type inserted
-- into the table is listed at once; anonymous callers are refused.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset

select tests.authenticate_as('e_csm');
select is((select array_agg(x ->> 'key' order by n) from jsonb_array_elements(public.list_workflow_types()) with ordinality t(x, n)),
  array['renewal', 'strategic', 'opportunity', 'risk', 'custom'], 'the types come in the lookup''s order (renewal first, custom last)');
select is((select array_agg(x ->> 'label' order by n) from jsonb_array_elements(public.list_workflow_types()) with ordinality t(x, n)),
  array['Renewal', 'Strategic', 'Opportunity', 'Risk', 'Custom'], 'each with its label');
select is(public.list_workflow_types(), app.lookup_entries('workflow_type'), 'exactly the lookup''s entries, nothing added');
select tests.clear_authentication();

-- One insert (a new migration's) and it is listed, in its place by sort, with its label.
insert into app.workflow_types (key, label, sort) values ('expansion', 'Expansion', 6);
update app.workflow_types set label = 'Renewal decision' where key = 'renewal';
select tests.authenticate_as('e_csm');
select is(public.list_workflow_types() -> -1, '{"key": "expansion", "label": "Expansion"}'::jsonb, 'a new type is listed last by its sort');
select is(public.list_workflow_types() -> 0 ->> 'label', 'Renewal decision', 'a label changed in the table is the label listed');
select tests.clear_authentication();

select tests.authenticate_as_anon();
select throws_ok($$select public.list_workflow_types()$$, '42501', null, 'anonymous callers are refused');
select tests.clear_authentication();

select is((select p.prosecdef from pg_proc p where p.oid = 'public.list_workflow_types()'::regprocedure), false,
  'it runs as its caller (the table''s read policy applies)');
select ok((select p.proconfig @> array['search_path=""'] from pg_proc p where p.oid = 'public.list_workflow_types()'::regprocedure),
  'with an empty search_path');

select * from finish();
rollback;
