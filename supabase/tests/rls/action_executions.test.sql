-- The action log (action_executions) is history users cannot forge: every member reads it;
-- no user role writes it directly — insert, update and delete are refused for everyone (no
-- privilege, 42501), even the assigned csm, managers and admins. execute_action writes it
-- through its own security definer helpers (see execute_action/users_cannot_forge_the_action_log).
-- Another organisation sees nothing; anon is refused; service_role does anything.
begin;
select plan(33);
select tests.create_rls_world();
create temporary table matrix_orgs on commit drop as select tests.org_id('Org A') as org_a, tests.org_id('Org B') as org_b;
grant select on matrix_orgs to anon, authenticated, service_role;

-- anon: no privilege on app at all
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from app.action_executions $$, '42501', null, 'anon: select is refused');
select throws_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values ((select org_a from matrix_orgs), tests.row_id('workflow_executions', 'mine'), 'snooze', true) $$, '42501', null, 'anon: insert is refused');
select throws_ok($$ update app.action_executions set result = '{"checked": true}' $$, '42501', null, 'anon: update is refused');
select throws_ok($$ delete from app.action_executions $$, '42501', null, 'anon: delete is refused');

-- a member of another organisation (its admin)
select tests.authenticate_as('admin_b');
select is(tests.visible_rows('action_executions', (select org_a from matrix_orgs)), 0, 'other organisation: reads none of org A''s action log entries');
select is(tests.visible_rows('action_executions', (select org_b from matrix_orgs)), 1, 'other organisation: reads its own');
select throws_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values ((select org_a from matrix_orgs), tests.row_id('workflow_executions', 'mine'), 'snooze', true) $$, '42501', null, 'other organisation: insert into org A is refused');
select throws_ok($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'mine') $$, '42501', null, 'other organisation: update is refused (history cannot be rewritten)');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'mine') $$, '42501', null, 'other organisation: delete is refused (history cannot be deleted)');

-- viewer: reads everything of the organisation, writes nothing
select tests.authenticate_as('viewer_a');
select is(tests.visible_rows('action_executions', (select org_a from matrix_orgs)), 3, 'viewer: reads the organisation''s action log entries');
select throws_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values (app.current_org_id(), tests.row_id('workflow_executions', 'open'), 'snooze', true) $$, '42501', null, 'viewer: insert is refused, even on unassigned work');
select throws_ok($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'open') $$, '42501', null, 'viewer: update is refused (history cannot be rewritten)');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'open') $$, '42501', null, 'viewer: delete is refused (history cannot be deleted)');

-- csm on a colleague's execution: reads, writes nothing
select tests.authenticate_as('csm_a');
select is(tests.visible_rows('action_executions', (select org_a from matrix_orgs)), 3, 'csm: reads the organisation''s action log entries, a colleague''s too');
select throws_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values (app.current_org_id(), tests.row_id('workflow_executions', 'theirs'), 'snooze', true) $$, '42501', null, 'csm: insert on a colleague''s execution is refused');
select throws_ok($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'theirs') $$, '42501', null, 'csm: update is refused (history cannot be rewritten)');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'theirs') $$, '42501', null, 'csm: delete is refused (history cannot be deleted)');

-- csm on their own execution, and on unassigned work
select throws_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values (app.current_org_id(), tests.row_id('workflow_executions', 'mine'), 'snooze', true) $$, '42501', null, 'csm: a direct insert is refused, even on an execution they may work on');
select throws_ok($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'mine') $$, '42501', null, 'csm: update of their own entry is refused (history cannot be rewritten)');
select throws_ok($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'open') $$, '42501', null, 'csm: update of an entry on unassigned work is refused');
select throws_ok($$ insert into app.action_executions (org_id, execution_id, action_key, executed_by, success, params) values (app.current_org_id(), tests.row_id('workflow_executions', 'mine'), 'snooze', auth.uid(), false, '{"label": "running"}') $$, '42501', null, 'csm: starting an unfinished entry of their own directly is refused too');
select throws_ok($$ update app.action_executions set executed_by = null where id = tests.row_id('action_executions', 'mine') $$, '42501', null, 'csm: no column is updatable');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'mine') $$, '42501', null, 'csm: delete is refused (history cannot be deleted)');

-- service_role (Edge Functions, ingest, cron): bypasses RLS
select tests.authenticate_as_service_role();
select cmp_ok((select count(distinct org_id)::int from app.action_executions where org_id in (select org_a from matrix_orgs union all select org_b from matrix_orgs)), '=', 2, 'service role: reads both organisations');
select lives_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values ((select org_b from matrix_orgs), tests.row_id('workflow_executions', 'b'), 'snooze', true) $$, 'service role: inserts into any organisation');
select isnt_empty($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'b') returning 1 $$, 'service role: updates any organisation''s rows');
select isnt_empty($$ delete from app.action_executions where id = tests.row_id('action_executions', 'b') returning 1 $$, 'service role: deletes any organisation''s rows');

-- manager: writes on any execution of the organisation
select tests.authenticate_as('manager_a');
select throws_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values (app.current_org_id(), tests.row_id('workflow_executions', 'theirs'), 'snooze', true) $$, '42501', null, 'manager: a direct insert is refused, even on an execution they may work on');
select throws_ok($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'theirs') $$, '42501', null, 'manager: update is refused (history cannot be rewritten)');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'theirs') $$, '42501', null, 'manager: delete is refused (history cannot be deleted)');

-- admin: writes on any execution of the organisation
select tests.authenticate_as('admin_a');
select throws_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values (app.current_org_id(), tests.row_id('workflow_executions', 'open'), 'snooze', true) $$, '42501', null, 'admin: a direct insert is refused, even on an execution they may work on');
select throws_ok($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'open') $$, '42501', null, 'admin: update is refused (history cannot be rewritten)');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'open') $$, '42501', null, 'admin: delete is refused (history cannot be deleted)');

select * from finish();
rollback;
