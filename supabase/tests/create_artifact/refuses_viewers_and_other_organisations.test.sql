begin;
select plan(4);
select tests.create_rls_world();
select tests.authenticate_as('viewer_a');
select throws_ok(format($$select public.create_artifact(%L, 'summary', 'T', '{}')$$, tests.row_id('workflow_executions', 'mine')),
  '42501', null, 'a viewer may not create artifacts');
select tests.authenticate_as('csm_a');
select throws_ok(format($$select public.create_artifact(%L, 'summary', 'T', '{}')$$, tests.row_id('workflow_executions', 'theirs')),
  '42501', null, 'a csm may not add artifacts to a colleague''s workflow');
select throws_ok(format($$select public.create_artifact(%L, 'summary', 'T', '{}', thread_id => %L)$$,
    tests.row_id('workflow_executions', 'mine'), tests.row_id('workflow_chat_threads', 'open')),
  '22023', null, 'a thread of another workflow is refused');
select tests.authenticate_as('csm_b');
select throws_ok(format($$select public.create_artifact(%L, 'summary', 'T', '{}')$$, tests.row_id('workflow_executions', 'mine')),
  'PT404', null, 'another organisation''s execution is not found');
select * from finish();
rollback;
