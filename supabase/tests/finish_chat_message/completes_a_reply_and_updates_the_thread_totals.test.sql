begin;
select plan(8);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'How is Acme?', 'c-1') as p;
select (select id from t) as thread, (select p #>> '{assistant_message,id}' from posted) as reply \gset
-- The chat function writes the reply with the service role (finish_chat_message is service-only).
select tests.authenticate_as_service_role();
create temp table streaming as
  select public.finish_chat_message(thread_id => :'thread', message_id => :'reply', content => '', status => 'streaming') as m;
create temp table finished as
  select public.finish_chat_message(
    thread_id => :'thread', message_id => :'reply',
    content => 'Acme is healthy.', status => 'complete', tokens_in => 120, tokens_out => 8, model => 'llama3.1:8b',
    metadata => '{"tool_calls": 0}') as m;

select is((select m ->> 'status' from streaming), 'streaming', 'a pending reply can be marked streaming');
select is((select m ->> 'status' from finished), 'complete', 'then completed');
select is((select m ->> 'content' from finished), 'Acme is healthy.', 'with its text');
select is((select (m ->> 'tokens_in')::int + (m ->> 'tokens_out')::int from finished), 128, 'and its token counts');
select is((select m ->> 'model' from finished), 'llama3.1:8b', 'and the model that wrote it');
select isnt((select m ->> 'completed_at' from finished), null, 'and when it finished');
select is((select (tokens_in, tokens_out, message_count)::text from app.workflow_chat_threads where id = :'thread'),
  '(120,8,2)', 'the thread totals count the tokens and both messages');
select is((select m #>> '{metadata,tool_calls}' from finished), '0', 'metadata is kept');

select * from finish();
rollback;
