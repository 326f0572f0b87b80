-- A draft an agent (the MCP server's draft_email) or the chat assistant writes says
-- something: an email whose body is missing, or only whitespace or invisible characters
-- (a zero-width space, a no-break space, a blank Braille pattern), and any blank text of
-- the draft's content, is refused when it is drafted with 22023 naming the field, and
-- nothing is stored. A person's own draft may still be blank while they write it.
-- (app.check_drafted_text, migration 20261206251000.)
begin;
select plan(10);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select tests.act_as_agent('Claude Desktop'); -- the MCP server's calls (migration 20261214500100)
select tests.row_id('workflow_executions', 'mine') as exec \gset
select public.start_workflow(:'exec') is not null as started \gset
create temp table t as select (public.create_chat_thread(:'exec', 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'Draft an email', 'c-1') as p;
select (select id from t) as thread, (select p #>> '{assistant_message,id}' from posted) as reply \gset
select count(*)::int as before from app.workflow_task_artifacts where execution_id = :'exec' \gset

select throws_ok(format('select public.create_agent_draft(%L, %L, %L, %L, %L)', :'exec', 'email_draft', 'Renewal check-in',
    jsonb_build_object('to', '[]'::jsonb, 'subject', 'Renewal check-in', 'body', E'\u200b'), 'Claude Desktop'),
  '22023', 'content.body must not be blank: the drafted email says nothing', 'an agent''s email of a zero-width space is refused');
select throws_ok(format('select public.create_agent_draft(%L, %L, %L, %L, %L)', :'exec', 'email_draft', 'Renewal check-in',
    '{"subject": "Renewal check-in"}', 'Claude Desktop'),
  '22023', 'content.body must not be blank: the drafted email says nothing', 'an agent''s email without a body is refused');
select throws_ok(format('select public.create_agent_draft(%L, %L, %L, %L, %L)', :'exec', 'email_draft', 'Renewal check-in',
    jsonb_build_object('subject', E'\u00a0\u200b', 'body', 'Hi Dana'), 'Claude Desktop'),
  '22023', 'content.subject must not be blank', 'an agent''s blank subject is refused');
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'exec'), :before, 'no agent draft was stored');
select is(public.create_agent_draft(:'exec', 'email_draft', 'Renewal check-in',
    jsonb_build_object('to', '[]'::jsonb, 'subject', 'Renewal check-in', 'body', E'Hi Dana\u200b'), 'Claude Desktop') #>> '{content,body}',
  E'Hi Dana\u200b', 'an email that says something is drafted as written');
select lives_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'exec', 'email_draft', 'My draft', jsonb_build_object('body', E'\u200b')),
  'a person''s own draft may be blank while they write it');
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select throws_ok(format('select public.create_assistant_artifact(%L, %L, %L, %L, %L, %L, message_id => %L)', :'thread',
    tests.get_supabase_uid('csm_a'), 'email_draft', 'Renewal', jsonb_build_object('to', '[]'::jsonb, 'subject', 'Renewal', 'body', E'\u200b\u00a0'), 'mock', :'reply'),
  '22023', 'content.body must not be blank: the drafted email says nothing', 'the assistant''s email of invisible characters is refused');
select throws_ok(format('select public.create_assistant_artifact(%L, %L, %L, %L, %L, %L, message_id => %L)', :'thread',
    tests.get_supabase_uid('csm_a'), 'summary', 'Notes', jsonb_build_object('text', E'\u2800'), 'mock', :'reply'),
  '22023', 'content.text must not be blank', 'the assistant''s summary of a blank Braille pattern is refused');
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'exec' and generated_by = 'ai'), 0,
  'nothing of the assistant''s was stored');
select is(public.create_assistant_artifact(:'thread', tests.get_supabase_uid('csm_a'), 'email_draft', 'Renewal',
    '{"to": [], "subject": "Renewal", "body": "Hi Dana"}', 'mock', message_id => :'reply') ->> 'generated_by', 'ai',
  'the assistant''s email that says something is drafted');
select * from finish();
rollback;
