-- A chat opened again under the key of a request whose answer was lost is the same chat: one
-- thread and one LLM context at the step; another request under that key is PT409, and
-- without a key every call opens a chat (migration 20261206354000).
begin;
select plan(6);
select tests.create_rls_world();
update app.workflow_versions
   set config = '{"steps": [{"key": "review", "title": "Review", "prompt_template": "Review {{customer.name}}."}]}'
 where workflow_id = (select id from app.workflows where key = 'test-flow');
select tests.authenticate_as('csm_a');
select tests.row_id('workflow_executions', 'mine') as eid \gset
select count(*)::int as before from app.workflow_chat_threads where execution_id = :'eid' and step_key = 'review' \gset

select public.create_chat_thread(:'eid', 'review', idempotency_key => 'chat-1') as first \gset
select public.create_chat_thread(:'eid', 'review', idempotency_key => 'chat-1') as again \gset
select is(:'again'::jsonb, :'first'::jsonb, 'the same request again answers the chat it opened');
select is((select count(*)::int from app.workflow_chat_threads where execution_id = :'eid' and step_key = 'review'), :before + 1,
  'the step holds one chat more');
select is((select count(*)::int from app.workflow_llm_context where thread_id = (:'first'::jsonb ->> 'id')::uuid), 1,
  'with one LLM context');
select throws_ok(format('select public.create_chat_thread(%L, %L, thread_type => %L, idempotency_key => %L)', :'eid', 'review', 'rag', 'chat-1'),
  'PT409', null, 'another request under the same key is refused');
select throws_ok(format('select public.create_chat_thread(%L, %L, idempotency_key => %L)', :'eid', 'review', E'\t'),
  '22023', null, 'a blank key is refused');
select isnt((public.create_chat_thread(:'eid', 'review')) ->> 'id', :'first'::jsonb ->> 'id', 'without a key, every call opens a chat');
select * from finish();
rollback;
