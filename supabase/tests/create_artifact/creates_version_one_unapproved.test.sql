begin;
select plan(7);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table a as
  select public.create_artifact(execution_id => tests.row_id('workflow_executions', 'mine'), artifact_type => 'email_draft',
    title => 'Renewal check-in', content => '{"subject": "Renewal", "body": "Hi"}', step_key => 'review',
    generated_by => 'template') as x;

select is((select (x ->> 'version')::int from a), 1, 'a new artifact is version 1');
select is((select x ->> 'approved' from a), 'false', 'it starts unapproved');
select is((select (x ->> 'generated_by', x ->> 'ai_model')::text from a), '(template,)', 'how it was made is recorded');
select is((select x ->> 'created_by' from a)::uuid, tests.get_supabase_uid('csm_a'), 'who made it is recorded');
select is((select count(*)::int from app.workflow_task_artifact_versions where artifact_id = (select (x ->> 'id')::uuid from a)), 1,
  'version 1 is kept in the history');
select throws_ok(format($$select public.create_artifact(%L, 'poem', 'T', '{}')$$, tests.row_id('workflow_executions', 'mine')),
  '22023', 'artifact_type "poem" is not known', 'an unknown type is refused');
select throws_ok(format($$select public.create_artifact(%L, 'summary', '  ', '{}')$$, tests.row_id('workflow_executions', 'mine')),
  '22023', 'title must not be empty', 'a blank title is refused');

select * from finish();
rollback;
