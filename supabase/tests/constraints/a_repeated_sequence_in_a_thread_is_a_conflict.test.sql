-- A message's sequence and its client message id are unique in their thread: a repeat
-- fails with 23505 (unique violation; PostgREST answers 409, like PT409) naming the rule,
-- while the same numbers in another thread are fine.
begin;
select plan(4);
select tests.create_rls_world();

select tests.authenticate_as('manager_a');
select is(tests.violation(format(
            $$ insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content) values (app.current_org_id(), %L, 1, 'assistant', 'Again') $$,
            tests.row_id('workflow_chat_threads', 'mine'))),
          '23505 workflow_chat_messages_sequence_is_unique_per_thread', 'a repeated sequence is refused by name');
select is(tests.violation(format(
            $$ insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content, client_message_id) values (app.current_org_id(), %L, 2, 'user', 'Again', 'c-1') $$,
            tests.row_id('workflow_chat_threads', 'mine'))),
          '23505 workflow_chat_messages_client_message_id_is_unique_per_thread', 'a repeated client message id is refused by name');
select is(tests.violation(format(
            $$ insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content) values (app.current_org_id(), %L, 0, 'user', 'Zero') $$,
            tests.row_id('workflow_chat_threads', 'mine'))),
          '23514 workflow_chat_messages_sequence_is_positive', 'sequence 0 is refused by name');
select is(tests.violation(format(
            $$ insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content, client_message_id)
               values (app.current_org_id(), %L, 2, 'user', 'Hi', 'c-2'), (app.current_org_id(), %L, 2, 'user', 'Hi', 'c-2') $$,
            tests.row_id('workflow_chat_threads', 'mine'), tests.row_id('workflow_chat_threads', 'theirs'))),
          'no error', 'the same sequence and client message id in two different threads are fine');

select * from finish();
rollback;
