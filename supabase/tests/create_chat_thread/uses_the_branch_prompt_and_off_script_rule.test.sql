-- An llm branch's thread is instructed by the BRANCH's prompt template (not the step's),
-- and with allow_off_script = false its prompt tells the model to decline questions outside
-- the step's purpose (in words and as a <step_scope> block); a rag branch opens a rag
-- thread that answers from history; a branch of another step or a fixed branch is refused.
begin;
select plan(9);
select tests.create_rls_world();
update app.workflow_versions
   set config = '{"steps": [{"key": "review", "title": "Review", "prompt_template": "Step template for {{customer.name}}."}]}'
 where workflow_id = (select id from app.workflows where key = 'test-flow');
insert into app.workflow_chat_branches (workflow_version_id, org_id, step_key, branch_key, label, branch_type, prompt_template, allow_off_script, response_text)
select v.id, v.org_id, 'review', b.key, b.label, b.type, b.template, b.off, b.response
  from app.workflow_versions v join app.workflows w on w.id = v.workflow_id and w.key = 'test-flow'
 cross join (values
   ('strict', 'Draft the renewal email', 'llm', 'Branch template: draft the renewal email to {{customer.name}}.', false, null),
   ('open', 'Chat freely', 'llm', null, true, null),
   ('history', 'Ask the history', 'rag', null, false, null),
   ('done', 'All good', 'fixed', null, false, 'Fine.')
 ) b(key, label, type, template, off, response);

select tests.authenticate_as('csm_a');
create temp table t as
select public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review', branch_key => 'strict') as strict,
       public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review', branch_key => 'open') as open,
       public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review', branch_key => 'history') as history;

select ok((select strict #>> '{llm_context,system_prompt}' from t) like '%Branch template: draft the renewal email to "Acme".%',
  'the branch''s own prompt template instructs the thread');
select ok((select strict #>> '{llm_context,system_prompt}' from t) not like '%Step template%', 'not the step''s');
select ok((select strict #>> '{llm_context,system_prompt}' from t) like '%If a question is outside this purpose, decline%',
  'an on-script branch tells the model to decline off-script questions');
select ok((select strict #>> '{llm_context,system_prompt}' from t) like '%<step_scope>{"step": "Review", "purpose": %"allow_off_script": false}</step_scope>%',
  'and states its scope as data');
select ok((select open #>> '{llm_context,system_prompt}' from t) like '%Step template for "Acme".%'
          and (select open #>> '{llm_context,system_prompt}' from t) not like '%step_scope%',
  'a branch without its own template uses the step''s, and off-script allowed means no scope rule');
select is((select strict ->> 'branch_key' from t), 'strict', 'the thread records its branch');
select is((select history ->> 'thread_type' from t), 'rag', 'a rag branch opens a rag thread');
select throws_ok($$ select public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review', branch_key => 'done') $$,
  '22023', null, 'a fixed branch opens no chat');
select throws_ok($$ select public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review', branch_key => 'nope') $$,
  '22023', null, 'an unknown branch is refused');

select * from finish();
rollback;
