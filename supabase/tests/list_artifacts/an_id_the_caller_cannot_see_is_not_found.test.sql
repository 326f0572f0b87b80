-- list_artifacts named a workflow or a task the caller cannot see — another organisation's,
-- or one that never existed — answers PT404 with the same words for both, as every
-- function named an id does; before, both were an empty list. A visible workflow with no
-- drafts is still an empty list. (Migration 20261206254000.)
begin;
select plan(6);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select public.create_task('Call the signer', tests.row_id('customers', 'a'), execution_id => tests.row_id('workflow_executions', 'mine')) ->> 'id' as task \gset
select public.create_artifact(tests.row_id('workflow_executions', 'mine'), 'summary', 'Notes', '{"text": "x"}', task_id => :'task') is not null as drafted \gset

select tests.authenticate_as('csm_b');
select throws_ok(format('select public.list_artifacts(execution_id => %L)', tests.row_id('workflow_executions', 'mine')),
  'PT404', 'Workflow execution not found', 'another organisation''s workflow is not found');
select throws_ok(format('select public.list_artifacts(execution_id => %L)', gen_random_uuid()),
  'PT404', 'Workflow execution not found', 'the same answer as for a workflow that never existed');
select throws_ok(format('select public.list_artifacts(task_id => %L)', :'task'),
  'PT404', 'Task not found', 'another organisation''s task is not found');
select throws_ok(format('select public.list_artifacts(task_id => %L)', gen_random_uuid()),
  'PT404', 'Task not found', 'the same answer as for a task that never existed');

select tests.authenticate_as('csm_a');
select is(jsonb_array_length(public.list_artifacts(task_id => :'task')), 1, 'the caller''s own task lists its draft');
select is(public.list_artifacts(execution_id => tests.row_id('workflow_executions', 'theirs'), artifact_type => 'summary'), '[]'::jsonb,
  'a visible workflow with no such drafts is an empty list');
select * from finish();
rollback;
