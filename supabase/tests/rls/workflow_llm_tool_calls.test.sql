-- LLM tool calls (workflow_llm_tool_calls) follow their chat thread's execution: every member reads them; the
-- assigned csm (or any csm for unassigned work), managers and admins write them; a
-- colleague's and a viewer's writes are refused or match nothing.
-- Another organisation sees and changes nothing; anon is refused; service_role does anything.
begin;
select plan(31);
select tests.create_rls_world();
create temporary table matrix_orgs on commit drop as select tests.org_id('Org A') as org_a, tests.org_id('Org B') as org_b;
grant select on matrix_orgs to anon, authenticated, service_role;

-- anon: no privilege on app at all
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from app.workflow_llm_tool_calls $$, '42501', null, 'anon: select is refused');
select throws_ok($$ insert into app.workflow_llm_tool_calls (org_id, thread_id, message_id, tool_name, success) values ((select org_a from matrix_orgs), tests.row_id('workflow_chat_threads', 'mine'), tests.row_id('workflow_chat_messages', 'mine'), 'draft_email', true) $$, '42501', null, 'anon: insert is refused');
select throws_ok($$ update app.workflow_llm_tool_calls set duration_ms = 12 $$, '42501', null, 'anon: update is refused');
select throws_ok($$ delete from app.workflow_llm_tool_calls $$, '42501', null, 'anon: delete is refused');

-- a member of another organisation (its admin)
select tests.authenticate_as('admin_b');
select is(tests.visible_rows('workflow_llm_tool_calls', (select org_a from matrix_orgs)), 0, 'other organisation: reads none of org A''s LLM tool calls');
select is(tests.visible_rows('workflow_llm_tool_calls', (select org_b from matrix_orgs)), 1, 'other organisation: reads its own');
select throws_ok($$ insert into app.workflow_llm_tool_calls (org_id, thread_id, message_id, tool_name, success) values ((select org_a from matrix_orgs), tests.row_id('workflow_chat_threads', 'mine'), tests.row_id('workflow_chat_messages', 'mine'), 'draft_email', true) $$, '42501', null, 'other organisation: insert into org A is refused');
select is_empty($$ update app.workflow_llm_tool_calls set duration_ms = 12 where id = tests.row_id('workflow_llm_tool_calls', 'mine') returning 1 $$, 'other organisation: update matches nothing');
select is_empty($$ delete from app.workflow_llm_tool_calls where id = tests.row_id('workflow_llm_tool_calls', 'mine') returning 1 $$, 'other organisation: delete matches nothing');

-- viewer: reads everything of the organisation, writes nothing
select tests.authenticate_as('viewer_a');
select is(tests.visible_rows('workflow_llm_tool_calls', (select org_a from matrix_orgs)), 3, 'viewer: reads the organisation''s LLM tool calls');
select throws_ok($$ insert into app.workflow_llm_tool_calls (org_id, thread_id, message_id, tool_name, success) values (app.current_org_id(), tests.row_id('workflow_chat_threads', 'open'), tests.row_id('workflow_chat_messages', 'open'), 'draft_email', true) $$, '42501', null, 'viewer: insert is refused, even on unassigned work');
select is_empty($$ update app.workflow_llm_tool_calls set duration_ms = 12 where id = tests.row_id('workflow_llm_tool_calls', 'open') returning 1 $$, 'viewer: update matches nothing');
select is_empty($$ delete from app.workflow_llm_tool_calls where id = tests.row_id('workflow_llm_tool_calls', 'open') returning 1 $$, 'viewer: delete matches nothing');

-- csm on a colleague's execution: reads, writes nothing
select tests.authenticate_as('csm_a');
select is(tests.visible_rows('workflow_llm_tool_calls', (select org_a from matrix_orgs)), 3, 'csm: reads the organisation''s LLM tool calls, a colleague''s too');
select throws_ok($$ insert into app.workflow_llm_tool_calls (org_id, thread_id, message_id, tool_name, success) values (app.current_org_id(), tests.row_id('workflow_chat_threads', 'theirs'), tests.row_id('workflow_chat_messages', 'theirs'), 'draft_email', true) $$, '42501', null, 'csm: insert on a colleague''s execution is refused');
select is_empty($$ update app.workflow_llm_tool_calls set duration_ms = 12 where id = tests.row_id('workflow_llm_tool_calls', 'theirs') returning 1 $$, 'csm: update on a colleague''s execution matches nothing');
select is_empty($$ delete from app.workflow_llm_tool_calls where id = tests.row_id('workflow_llm_tool_calls', 'theirs') returning 1 $$, 'csm: delete on a colleague''s execution matches nothing');

-- csm on their own execution, and on unassigned work
select lives_ok($$ insert into app.workflow_llm_tool_calls (org_id, thread_id, message_id, tool_name, success) values (app.current_org_id(), tests.row_id('workflow_chat_threads', 'mine'), tests.row_id('workflow_chat_messages', 'mine'), 'draft_email', true) $$, 'csm: insert on their own execution works');
select isnt_empty($$ update app.workflow_llm_tool_calls set duration_ms = 12 where id = tests.row_id('workflow_llm_tool_calls', 'mine') returning 1 $$, 'csm: update on their own execution works');
select isnt_empty($$ update app.workflow_llm_tool_calls set duration_ms = 12 where id = tests.row_id('workflow_llm_tool_calls', 'open') returning 1 $$, 'csm: update on unassigned work works');
select isnt_empty($$ delete from app.workflow_llm_tool_calls where id = tests.row_id('workflow_llm_tool_calls', 'mine') returning 1 $$, 'csm: delete on their own execution works');

-- service_role (Edge Functions, ingest, cron): bypasses RLS
select tests.authenticate_as_service_role();
select cmp_ok((select count(distinct org_id)::int from app.workflow_llm_tool_calls where org_id in (select org_a from matrix_orgs union all select org_b from matrix_orgs)), '=', 2, 'service role: reads both organisations');
select lives_ok($$ insert into app.workflow_llm_tool_calls (org_id, thread_id, message_id, tool_name, success) values ((select org_b from matrix_orgs), tests.row_id('workflow_chat_threads', 'b'), tests.row_id('workflow_chat_messages', 'b'), 'draft_email', true) $$, 'service role: inserts into any organisation');
select isnt_empty($$ update app.workflow_llm_tool_calls set duration_ms = 12 where id = tests.row_id('workflow_llm_tool_calls', 'b') returning 1 $$, 'service role: updates any organisation''s rows');
select isnt_empty($$ delete from app.workflow_llm_tool_calls where id = tests.row_id('workflow_llm_tool_calls', 'b') returning 1 $$, 'service role: deletes any organisation''s rows');

-- manager: writes on any execution of the organisation
select tests.authenticate_as('manager_a');
select lives_ok($$ insert into app.workflow_llm_tool_calls (org_id, thread_id, message_id, tool_name, success) values (app.current_org_id(), tests.row_id('workflow_chat_threads', 'theirs'), tests.row_id('workflow_chat_messages', 'theirs'), 'draft_email', true) $$, 'manager: insert on a csm''s execution works');
select isnt_empty($$ update app.workflow_llm_tool_calls set duration_ms = 12 where id = tests.row_id('workflow_llm_tool_calls', 'theirs') returning 1 $$, 'manager: update works');
select isnt_empty($$ delete from app.workflow_llm_tool_calls where id = tests.row_id('workflow_llm_tool_calls', 'theirs') returning 1 $$, 'manager: delete works');

-- admin: writes on any execution of the organisation
select tests.authenticate_as('admin_a');
select lives_ok($$ insert into app.workflow_llm_tool_calls (org_id, thread_id, message_id, tool_name, success) values (app.current_org_id(), tests.row_id('workflow_chat_threads', 'open'), tests.row_id('workflow_chat_messages', 'open'), 'draft_email', true) $$, 'admin: insert works');
select isnt_empty($$ update app.workflow_llm_tool_calls set duration_ms = 12 where id = tests.row_id('workflow_llm_tool_calls', 'open') returning 1 $$, 'admin: update works');
select isnt_empty($$ delete from app.workflow_llm_tool_calls where id = tests.row_id('workflow_llm_tool_calls', 'open') returning 1 $$, 'admin: delete works');

select * from finish();
rollback;
