-- Posting into a chat thread: the assigned csm may, a colleague may not, and the
-- sequence and client message id are unique per thread.
begin;
select plan(5);
select tests.create_rls_world();

select tests.authenticate_as('csm_a');
select lives_ok(format($$ insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content, client_message_id)
                         values (app.current_org_id(), %L, 2, 'user', 'Next', 'c-2') $$, tests.row_id('workflow_chat_threads', 'mine')),
                'csm: posts into a thread of their own execution');
select throws_ok(format($$ insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content)
                          values (app.current_org_id(), %L, 2, 'user', 'Sneaky') $$, tests.row_id('workflow_chat_threads', 'theirs')),
                 '42501', null, 'csm: cannot post into a colleague''s thread');
select throws_ok(format($$ insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content)
                          values (app.current_org_id(), %L, 2, 'assistant', 'Dup') $$, tests.row_id('workflow_chat_threads', 'mine')),
                 '23505', null, 'a sequence number is unique in its thread');
select throws_ok(format($$ insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content, client_message_id)
                          values (app.current_org_id(), %L, 3, 'user', 'Again', 'c-2') $$, tests.row_id('workflow_chat_threads', 'mine')),
                 '23505', null, 'a client message id is unique in its thread');

select tests.authenticate_as('admin_b');
select throws_ok(format($$ insert into app.workflow_chat_messages (org_id, thread_id, sequence, role, content)
                          values (app.current_org_id(), %L, 9, 'user', 'Cross') $$, tests.row_id('workflow_chat_threads', 'mine')),
                 '23503', null, 'another organisation cannot post into the thread (the tenant foreign key refuses it)');

select * from finish();
rollback;
