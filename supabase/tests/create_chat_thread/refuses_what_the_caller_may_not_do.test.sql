-- Another organisation cannot see the execution (PT404); a viewer or another csm may not
-- chat in it (42501); bad arguments are 22023; closed workflows are PT409.
begin;
select plan(7);
select tests.create_rls_world();

select tests.authenticate_as('csm_b');
select throws_ok(format($$select public.create_chat_thread(%L, 'review')$$, tests.row_id('workflow_executions', 'mine')),
  'PT404', 'Workflow execution not found', 'another organisation''s execution is not found');

select tests.authenticate_as('viewer_a');
select throws_ok(format($$select public.create_chat_thread(%L, 'review')$$, tests.row_id('workflow_executions', 'mine')),
  '42501', null, 'a viewer may not start a chat');

select tests.authenticate_as('csm_a');
select throws_ok(format($$select public.create_chat_thread(%L, 'review')$$, tests.row_id('workflow_executions', 'theirs')),
  '42501', null, 'a csm may not chat in a colleague''s workflow');
select throws_ok(format($$select public.create_chat_thread(%L, 'review', 'gossip')$$, tests.row_id('workflow_executions', 'mine')),
  '22023', null, 'an unknown thread type is refused');
select throws_ok(format($$select public.create_chat_thread(%L, 'no-such-step')$$, tests.row_id('workflow_executions', 'mine')),
  '22023', 'step_key "no-such-step" is not a step of this workflow', 'an unknown step is refused, naming the argument');

select tests.clear_authentication();
update app.workflow_executions set status = 'cancelled' where id = tests.row_id('workflow_executions', 'mine');
select tests.authenticate_as('csm_a');
select throws_ok(format($$select public.create_chat_thread(%L, 'review')$$, tests.row_id('workflow_executions', 'mine')),
  'PT409', null, 'no new chat in a cancelled workflow');

select tests.authenticate_as('csm_a');
select lives_ok(format($$select public.create_chat_thread(%L, 'review')$$, tests.row_id('workflow_executions', 'open')),
  'a csm may chat in an unassigned workflow');

select * from finish();
rollback;
