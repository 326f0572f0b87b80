begin;
select plan(4);
select tests.create_rls_world();
select tests.authenticate_as('viewer_a');
select throws_ok(format('select public.delete_artifact(%L)', tests.row_id('workflow_task_artifacts', 'mine')), '42501', null, 'a viewer may not delete');
select tests.authenticate_as('csm_b');
select throws_ok(format('select public.delete_artifact(%L)', tests.row_id('workflow_task_artifacts', 'mine')), 'PT404', null,
  'another organisation cannot delete');
select tests.authenticate_as('csm_a');
select is(public.delete_artifact(tests.row_id('workflow_task_artifacts', 'mine')) ->> 'deleted', 'true', 'the csm deletes it');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_task_artifact_versions v
            join app.workflow_task_artifacts a on a.id = v.artifact_id where a.metadata ->> 'label' = 'mine'), 0, 'its versions go with it');
select * from finish();
rollback;
