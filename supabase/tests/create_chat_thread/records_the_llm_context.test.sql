-- Opening a chat records what the model will be given: the system prompt built from the
-- step's template and the customer context, the tools offered, model, temperature, max tokens.
begin;
select plan(9);
select tests.create_rls_world();
update app.workflow_versions
   set config = '{"steps": [{"key": "review", "title": "Review", "prompt_template": "Review {{customer.name}} with ARR {{customer.arr}}."}]}'
 where workflow_id = (select id from app.workflows where key = 'test-flow');
select tests.authenticate_as('csm_a');

create temp table created as
  select public.create_chat_thread(execution_id => tests.row_id('workflow_executions', 'mine'), step_key => 'review') as t;

select is((select t ->> 'status' from created), 'active', 'the new thread is active');
select is((select t ->> 'thread_type' from created), 'llm', 'the thread type defaults to llm');
select is((select t ->> 'started_by' from created)::uuid, tests.get_supabase_uid('csm_a'), 'the thread records who started it');
select ok((select t #>> '{llm_context,system_prompt}' from created) like '%Review "Acme" with ARR 120000%',
  'the step''s prompt template is filled from the customer context');
select ok((select t #>> '{llm_context,system_prompt}' from created) like '%<customer_data>{%"name": "Acme"%}</customer_data>',
  'the customer context is in the delimited data block');
select is((select array_agg(x #>> '{function,name}' order by x #>> '{function,name}') from created, jsonb_array_elements(t #> '{llm_context,tools}') x),
  array['create_task', 'draft_email', 'get_customer_context', 'propose_action'], 'the four assistant tools are offered');
select is((select t #>> '{llm_context,customer_context,customer,name}' from created), 'Acme', 'the customer context snapshot is stored');
select is((select (l.model, l.temperature, l.max_tokens)::text from app.workflow_llm_context l
            where l.thread_id = (select (t ->> 'id')::uuid from created)),
  '(llama3.1:8b,0.30,1024)', 'model, temperature and max tokens are recorded');
select is((select count(*)::int from app.workflow_chat_threads where id = (select (t ->> 'id')::uuid from created)), 1, 'the thread is stored');

select * from finish();
rollback;
