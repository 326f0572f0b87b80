-- Any member reads the catalogue: the 16 core definitions with version and switch; the
-- organisation's own rows; never another organisation's; anon cannot call it.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.workflows (org_id, key, name, workflow_type, base_score) values (:'other_org', 'their-flow', 'Theirs', 'custom', 50) returning id as wf \gset
insert into app.workflow_versions (workflow_id, org_id, version, config) values (:'wf', :'other_org', 1, '{"steps": [{"key": "a", "title": "A"}]}');
select tests.authenticate_as('e_viewer');
select is(jsonb_array_length(public.list_workflow_definitions()), 16, 'a viewer sees the 16 core definitions');
select ok((select bool_and(x ->> 'scope' = 'core' and (x ->> 'enabled')::boolean and (x ->> 'version')::int >= 1 and (x ->> 'step_count')::int between 3 and 6)
             from jsonb_array_elements(public.list_workflow_definitions()) x), 'each with scope, version, switch and steps');
select ok(not exists (select 1 from jsonb_array_elements(public.list_workflow_definitions()) x where x ->> 'key' = 'their-flow'), 'not another organisation''s');
select throws_ok(format('select public.get_workflow_definition(%L)', 'their-flow'), 'PT404', null, 'nor can it be read by key');
select ok(not has_function_privilege('anon', 'public.list_workflow_definitions()', 'execute'), 'anon cannot call it');
select * from finish();
rollback;
