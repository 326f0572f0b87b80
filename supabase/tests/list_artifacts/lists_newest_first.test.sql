begin;
select plan(5);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select public.create_artifact(tests.row_id('workflow_executions', 'mine'), 'summary', 'Older', '{}');
select public.create_artifact(tests.row_id('workflow_executions', 'mine'), 'email_draft', 'Newer', '{}');
-- now() is the same for the whole test transaction: give the rows distinct creation times.
select tests.clear_authentication();
update app.workflow_task_artifacts set created_at = now() - interval '2 days' where title = 'Draft';
update app.workflow_task_artifacts set created_at = now() - interval '1 day' where title = 'Older';
select tests.authenticate_as('csm_a');

select is((select array_agg(x ->> 'title') from jsonb_array_elements(public.list_artifacts(execution_id => tests.row_id('workflow_executions', 'mine'))) x),
  array['Newer', 'Older', 'Draft'], 'an execution''s artifacts, newest first');
select is((select array_agg(x ->> 'title') from jsonb_array_elements(public.list_artifacts(execution_id => tests.row_id('workflow_executions', 'mine'), artifact_type => 'summary')) x),
  array['Older'], 'filtered by type');
select throws_ok($$select public.list_artifacts()$$, '22023', 'execution_id or task_id is required', 'an id is required');
select throws_ok(format($$select public.list_artifacts(%L, artifact_type => 'poem')$$, tests.row_id('workflow_executions', 'mine')),
  '22023', null, 'an unknown type is refused');
select tests.authenticate_as('csm_b');
select throws_ok(format('select public.list_artifacts(execution_id => %L)', tests.row_id('workflow_executions', 'mine')), 'PT404',
  'Workflow execution not found', 'another organisation sees none: the workflow is not found (migration 20261206254000)');
select * from finish();
rollback;
