begin;
select plan(5);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select throws_ok(format($$select public.update_artifact(%L, '{"version": 9}', 1)$$, tests.row_id('workflow_task_artifacts', 'mine')),
  '22023', 'changes.version cannot be changed', 'only title, content and metadata can change');
select throws_ok(format($$select public.update_artifact(%L, '{}', 1)$$, tests.row_id('workflow_task_artifacts', 'mine')),
  '22023', null, 'an empty change is refused');
select throws_ok(format($$select public.update_artifact(%L, '{"title": "x"}', null)$$, tests.row_id('workflow_task_artifacts', 'mine')),
  '22023', 'base_version is required', 'the base version is required');
select tests.authenticate_as('viewer_a');
select throws_ok(format($$select public.update_artifact(%L, '{"title": "x"}', 1)$$, tests.row_id('workflow_task_artifacts', 'mine')),
  '42501', null, 'a viewer may not edit');
select tests.authenticate_as('csm_b');
select throws_ok(format($$select public.update_artifact(%L, '{"title": "x"}', 1)$$, tests.row_id('workflow_task_artifacts', 'mine')),
  'PT404', null, 'another organisation cannot edit');
select * from finish();
rollback;
