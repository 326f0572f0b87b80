-- A row cannot point into another organisation: tool calls' messages, replies, the outbox's
-- (and, once fixed, meetings') action, a workflow version's author and an execution's successor are
-- composite (…_id, org_id) foreign keys, so a reference into another organisation fails
-- with 23503 whoever writes it (even the service role, which bypasses RLS).
begin;
select plan(8);
select tests.create_rls_world();
select tests.authenticate_as_service_role();

select throws_ok($$
  insert into app.workflow_llm_tool_calls (org_id, thread_id, message_id, tool_name, success)
  values (tests.org_id('Org B'), tests.row_id('workflow_chat_threads', 'b'), tests.row_id('workflow_chat_messages', 'mine'), 'lookup', true)
$$, '23503', null, 'a tool call cannot name a message of another organisation');

select throws_ok($$
  update app.workflow_chat_messages set reply_to_id = tests.row_id('workflow_chat_messages', 'mine')
   where id = tests.row_id('workflow_chat_messages', 'b')
$$, '23503', null, 'a message cannot reply to a message of another organisation');

select lives_ok($$
  update app.workflow_chat_messages set reply_to_id = tests.row_id('workflow_chat_messages', 'mine')
   where id = tests.row_id('workflow_chat_messages', 'theirs')
$$, 'a message can reply to a message of its own organisation');

select throws_ok($$
  insert into app.email_outbox (org_id, action_execution_id, to_addresses, subject, body_text)
  values (tests.org_id('Org B'), tests.row_id('action_executions', 'mine'), array['x@example.com'], 'Hi', 'Hello')
$$, '23503', null, 'an outbox email cannot name an action of another organisation');

select throws_ok($$
  insert into app.workflow_meetings (org_id, execution_id, action_execution_id, title, scheduled_at, duration_minutes)
  values (tests.org_id('Org B'), tests.row_id('workflow_executions', 'b'), tests.row_id('action_executions', 'mine'), 'Sync', now() + interval '1 day', 30)
$$, '23503', null, 'a meeting cannot name an action of another organisation');

select throws_ok($$
  insert into app.workflow_versions (workflow_id, org_id, version, config, created_by)
  select v.workflow_id, v.org_id, 2, v.config, tests.get_supabase_uid('admin_b')
    from app.workflow_versions v where v.org_id = tests.org_id('Org A')
$$, '23503', null, 'an organisation''s workflow version cannot name an author from another organisation');

select throws_ok($$
  update app.workflow_executions set status = 'superseded', superseded_by = tests.row_id('workflow_executions', 'mine')
   where id = tests.row_id('workflow_executions', 'b')
$$, '23503', null, 'an execution cannot be superseded by an execution of another organisation');

select lives_ok($$
  update app.workflow_executions set status = 'superseded', superseded_by = tests.row_id('workflow_executions', 'theirs')
   where id = tests.row_id('workflow_executions', 'mine')
$$, 'an execution can be superseded by one of its own organisation');

select * from finish();
rollback;
