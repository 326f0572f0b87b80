-- The action log (action_executions) is history: every member reads it; the assigned csm
-- (or any csm for unassigned work), managers and admins record entries (execute_action runs
-- as them); a colleague's and a viewer's inserts are refused. No user changes a finished
-- entry (update matches nothing; only the executor's own unfinished entry can be completed,
-- as execute_action does) and no user deletes one (no privilege, 42501).
-- Another organisation sees and changes nothing; anon is refused; service_role does anything.
begin;
select plan(35);
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
select is_empty($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'mine') returning 1 $$, 'other organisation: update matches nothing');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'mine') $$, '42501', null, 'other organisation: delete is refused (history cannot be deleted)');

-- viewer: reads everything of the organisation, writes nothing
select tests.authenticate_as('viewer_a');
select is(tests.visible_rows('action_executions', (select org_a from matrix_orgs)), 3, 'viewer: reads the organisation''s action log entries');
select throws_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values (app.current_org_id(), tests.row_id('workflow_executions', 'open'), 'snooze', true) $$, '42501', null, 'viewer: insert is refused, even on unassigned work');
select is_empty($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'open') returning 1 $$, 'viewer: update matches nothing');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'open') $$, '42501', null, 'viewer: delete is refused (history cannot be deleted)');

-- csm on a colleague's execution: reads, writes nothing
select tests.authenticate_as('csm_a');
select is(tests.visible_rows('action_executions', (select org_a from matrix_orgs)), 3, 'csm: reads the organisation''s action log entries, a colleague''s too');
select throws_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values (app.current_org_id(), tests.row_id('workflow_executions', 'theirs'), 'snooze', true) $$, '42501', null, 'csm: insert on a colleague''s execution is refused');
select is_empty($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'theirs') returning 1 $$, 'csm: update on a colleague''s execution matches nothing');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'theirs') $$, '42501', null, 'csm: delete is refused (history cannot be deleted)');

-- csm on their own execution, and on unassigned work
select lives_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values (app.current_org_id(), tests.row_id('workflow_executions', 'mine'), 'snooze', true) $$, 'csm: insert on their own execution works');
select is_empty($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'mine') returning 1 $$, 'csm: update of a finished entry matches nothing');
select is_empty($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'open') returning 1 $$, 'csm: update of a finished entry matches nothing');
select lives_ok($$ insert into app.action_executions (org_id, execution_id, action_key, executed_by, success, params) values (app.current_org_id(), tests.row_id('workflow_executions', 'mine'), 'snooze', auth.uid(), false, '{"label": "running"}') $$, 'csm: starts an action of their own');
select isnt_empty($$ update app.action_executions set success = true, result = '{"done": true}' where id = tests.row_id('action_executions', 'running') returning 1 $$, 'csm: completes their own unfinished entry (as execute_action does)');
select is_empty($$ update app.action_executions set result = '{"again": true}' where id = tests.row_id('action_executions', 'running') returning 1 $$, 'csm: once finished, it cannot be changed again');
select throws_ok($$ update app.action_executions set executed_by = null where id = tests.row_id('action_executions', 'running') $$, '42501', null, 'csm: columns other than the outcome are never updatable');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'mine') $$, '42501', null, 'csm: delete is refused (history cannot be deleted)');

-- service_role (Edge Functions, ingest, cron): bypasses RLS
select tests.authenticate_as_service_role();
select cmp_ok((select count(distinct org_id)::int from app.action_executions where org_id in (select org_a from matrix_orgs union all select org_b from matrix_orgs)), '=', 2, 'service role: reads both organisations');
select lives_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values ((select org_b from matrix_orgs), tests.row_id('workflow_executions', 'b'), 'snooze', true) $$, 'service role: inserts into any organisation');
select isnt_empty($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'b') returning 1 $$, 'service role: updates any organisation''s rows');
select isnt_empty($$ delete from app.action_executions where id = tests.row_id('action_executions', 'b') returning 1 $$, 'service role: deletes any organisation''s rows');

-- manager: writes on any execution of the organisation
select tests.authenticate_as('manager_a');
select lives_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values (app.current_org_id(), tests.row_id('workflow_executions', 'theirs'), 'snooze', true) $$, 'manager: insert on a csm''s execution works');
select is_empty($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'theirs') returning 1 $$, 'manager: update of a finished entry matches nothing');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'theirs') $$, '42501', null, 'manager: delete is refused (history cannot be deleted)');

-- admin: writes on any execution of the organisation
select tests.authenticate_as('admin_a');
select lives_ok($$ insert into app.action_executions (org_id, execution_id, action_key, success) values (app.current_org_id(), tests.row_id('workflow_executions', 'open'), 'snooze', true) $$, 'admin: insert works');
select is_empty($$ update app.action_executions set result = '{"checked": true}' where id = tests.row_id('action_executions', 'open') returning 1 $$, 'admin: update of a finished entry matches nothing');
select throws_ok($$ delete from app.action_executions where id = tests.row_id('action_executions', 'open') $$, '42501', null, 'admin: delete is refused (history cannot be deleted)');

select * from finish();
rollback;
