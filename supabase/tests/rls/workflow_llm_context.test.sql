-- The LLM context of a chat thread (workflow_llm_context) follows the thread's execution: every member reads
-- it; the assigned csm (or any csm for unassigned work), managers and admins write it; a
-- colleague's and a viewer's writes are refused or match nothing. (One context per
-- thread: inserts go to second threads, labelled '<execution>-2', that have none yet.)
-- Another organisation sees and changes nothing; anon is refused; service_role does anything.
begin;
select plan(31);
select tests.create_rls_world();
-- A second thread (no LLM context yet) on each fixture execution, labelled '<label>-2'.
insert into app.workflow_chat_threads (org_id, execution_id, step_key, metadata)
select e.org_id, e.id, 'review', jsonb_build_object('label', concat(e.metadata ->> 'label', '-2'))
from app.workflow_executions e where e.org_id in (tests.org_id('Org A'), tests.org_id('Org B'));
create temporary table matrix_orgs on commit drop as select tests.org_id('Org A') as org_a, tests.org_id('Org B') as org_b;
grant select on matrix_orgs to anon, authenticated, service_role;

-- anon: no privilege on app at all
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from app.workflow_llm_context $$, '42501', null, 'anon: select is refused');
select throws_ok($$ insert into app.workflow_llm_context (org_id, thread_id, system_prompt, model) values ((select org_a from matrix_orgs), tests.row_id('workflow_chat_threads', 'mine-2'), 'You help CSMs.', 'mock') $$, '42501', null, 'anon: insert is refused');
select throws_ok($$ update app.workflow_llm_context set max_tokens = 512 $$, '42501', null, 'anon: update is refused');
select throws_ok($$ delete from app.workflow_llm_context $$, '42501', null, 'anon: delete is refused');

-- a member of another organisation (its admin)
select tests.authenticate_as('admin_b');
select is(tests.visible_rows('workflow_llm_context', (select org_a from matrix_orgs)), 0, 'other organisation: reads none of org A''s LLM context records');
select is(tests.visible_rows('workflow_llm_context', (select org_b from matrix_orgs)), 1, 'other organisation: reads its own');
select throws_ok($$ insert into app.workflow_llm_context (org_id, thread_id, system_prompt, model) values ((select org_a from matrix_orgs), tests.row_id('workflow_chat_threads', 'mine-2'), 'You help CSMs.', 'mock') $$, '42501', null, 'other organisation: insert into org A is refused');
select is_empty($$ update app.workflow_llm_context set max_tokens = 512 where id = tests.row_id('workflow_llm_context', 'mine') returning 1 $$, 'other organisation: update matches nothing');
select is_empty($$ delete from app.workflow_llm_context where id = tests.row_id('workflow_llm_context', 'mine') returning 1 $$, 'other organisation: delete matches nothing');

-- viewer: reads everything of the organisation, writes nothing
select tests.authenticate_as('viewer_a');
select is(tests.visible_rows('workflow_llm_context', (select org_a from matrix_orgs)), 3, 'viewer: reads the organisation''s LLM context records');
select throws_ok($$ insert into app.workflow_llm_context (org_id, thread_id, system_prompt, model) values (app.current_org_id(), tests.row_id('workflow_chat_threads', 'open-2'), 'You help CSMs.', 'mock') $$, '42501', null, 'viewer: insert is refused, even on unassigned work');
select is_empty($$ update app.workflow_llm_context set max_tokens = 512 where id = tests.row_id('workflow_llm_context', 'open') returning 1 $$, 'viewer: update matches nothing');
select is_empty($$ delete from app.workflow_llm_context where id = tests.row_id('workflow_llm_context', 'open') returning 1 $$, 'viewer: delete matches nothing');

-- csm on a colleague's execution: reads, writes nothing
select tests.authenticate_as('csm_a');
select is(tests.visible_rows('workflow_llm_context', (select org_a from matrix_orgs)), 3, 'csm: reads the organisation''s LLM context records, a colleague''s too');
select throws_ok($$ insert into app.workflow_llm_context (org_id, thread_id, system_prompt, model) values (app.current_org_id(), tests.row_id('workflow_chat_threads', 'theirs-2'), 'You help CSMs.', 'mock') $$, '42501', null, 'csm: insert on a colleague''s execution is refused');
select is_empty($$ update app.workflow_llm_context set max_tokens = 512 where id = tests.row_id('workflow_llm_context', 'theirs') returning 1 $$, 'csm: update on a colleague''s execution matches nothing');
select is_empty($$ delete from app.workflow_llm_context where id = tests.row_id('workflow_llm_context', 'theirs') returning 1 $$, 'csm: delete on a colleague''s execution matches nothing');

-- csm on their own execution, and on unassigned work
select lives_ok($$ insert into app.workflow_llm_context (org_id, thread_id, system_prompt, model) values (app.current_org_id(), tests.row_id('workflow_chat_threads', 'mine-2'), 'You help CSMs.', 'mock') $$, 'csm: insert on their own execution works');
select isnt_empty($$ update app.workflow_llm_context set max_tokens = 512 where id = tests.row_id('workflow_llm_context', 'mine') returning 1 $$, 'csm: update on their own execution works');
select isnt_empty($$ update app.workflow_llm_context set max_tokens = 512 where id = tests.row_id('workflow_llm_context', 'open') returning 1 $$, 'csm: update on unassigned work works');
select isnt_empty($$ delete from app.workflow_llm_context where id = tests.row_id('workflow_llm_context', 'mine') returning 1 $$, 'csm: delete on their own execution works');

-- service_role (Edge Functions, ingest, cron): bypasses RLS
select tests.authenticate_as_service_role();
select cmp_ok((select count(distinct org_id)::int from app.workflow_llm_context where org_id in (select org_a from matrix_orgs union all select org_b from matrix_orgs)), '=', 2, 'service role: reads both organisations');
select lives_ok($$ insert into app.workflow_llm_context (org_id, thread_id, system_prompt, model) values ((select org_b from matrix_orgs), tests.row_id('workflow_chat_threads', 'b-2'), 'You help CSMs.', 'mock') $$, 'service role: inserts into any organisation');
select isnt_empty($$ update app.workflow_llm_context set max_tokens = 512 where id = tests.row_id('workflow_llm_context', 'b') returning 1 $$, 'service role: updates any organisation''s rows');
select isnt_empty($$ delete from app.workflow_llm_context where id = tests.row_id('workflow_llm_context', 'b') returning 1 $$, 'service role: deletes any organisation''s rows');

-- manager: writes on any execution of the organisation
select tests.authenticate_as('manager_a');
select lives_ok($$ insert into app.workflow_llm_context (org_id, thread_id, system_prompt, model) values (app.current_org_id(), tests.row_id('workflow_chat_threads', 'theirs-2'), 'You help CSMs.', 'mock') $$, 'manager: insert on a csm''s execution works');
select isnt_empty($$ update app.workflow_llm_context set max_tokens = 512 where id = tests.row_id('workflow_llm_context', 'theirs') returning 1 $$, 'manager: update works');
select isnt_empty($$ delete from app.workflow_llm_context where id = tests.row_id('workflow_llm_context', 'theirs') returning 1 $$, 'manager: delete works');

-- admin: writes on any execution of the organisation
select tests.authenticate_as('admin_a');
select lives_ok($$ insert into app.workflow_llm_context (org_id, thread_id, system_prompt, model) values (app.current_org_id(), tests.row_id('workflow_chat_threads', 'open-2'), 'You help CSMs.', 'mock') $$, 'admin: insert works');
select isnt_empty($$ update app.workflow_llm_context set max_tokens = 512 where id = tests.row_id('workflow_llm_context', 'open') returning 1 $$, 'admin: update works');
select isnt_empty($$ delete from app.workflow_llm_context where id = tests.row_id('workflow_llm_context', 'open') returning 1 $$, 'admin: delete works');

select * from finish();
rollback;
