begin;
select plan(5);
select tests.create_rls_world();
select tests.authenticate_as('manager_a');
create temp table approved as select public.approve_artifact(tests.row_id('workflow_task_artifacts', 'mine')) as x;
create temp table withdrawn as select public.approve_artifact(tests.row_id('workflow_task_artifacts', 'mine'), false) as x;

select is((select x ->> 'approved_by' from approved)::uuid, tests.get_supabase_uid('manager_a'), 'the approver is recorded');
select isnt((select x ->> 'approved_at' from approved), null, 'with the time');
select is((select x ->> 'approved' from withdrawn), 'false', 'an approval can be withdrawn');
select is((select x #>> '{metadata,approval_log,1,by}' from withdrawn)::uuid, tests.get_supabase_uid('manager_a'), 'who withdrew it is logged');
select tests.authenticate_as('viewer_a');
select throws_ok(format('select public.approve_artifact(%L)', tests.row_id('workflow_task_artifacts', 'mine')), '42501', null,
  'a viewer may not approve');
select * from finish();
rollback;
