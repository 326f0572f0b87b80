-- Artifact versions (workflow_task_artifact_versions) are history: every member reads them; the
-- assigned csm (or any csm for unassigned work), managers and admins add versions; a
-- colleague's and a viewer's inserts are refused. No user may change or delete a version
-- (no update/delete privilege, 42501); versions go only with their artifact (cascade).
-- Another organisation sees and changes nothing; anon is refused; service_role does anything.
begin;
select plan(31);
select tests.create_rls_world();
create temporary table matrix_orgs on commit drop as select tests.org_id('Org A') as org_a, tests.org_id('Org B') as org_b;
grant select on matrix_orgs to anon, authenticated, service_role;

-- anon: no privilege on app at all
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from app.workflow_task_artifact_versions $$, '42501', null, 'anon: select is refused');
select throws_ok($$ insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content) values ((select org_a from matrix_orgs), tests.row_id('workflow_task_artifacts', 'mine'), 2, 'Draft v2', '{}') $$, '42501', null, 'anon: insert is refused');
select throws_ok($$ update app.workflow_task_artifact_versions set title = 'Edited' $$, '42501', null, 'anon: update is refused');
select throws_ok($$ delete from app.workflow_task_artifact_versions $$, '42501', null, 'anon: delete is refused');

-- a member of another organisation (its admin)
select tests.authenticate_as('admin_b');
select is(tests.visible_rows('workflow_task_artifact_versions', (select org_a from matrix_orgs)), 0, 'other organisation: reads none of org A''s artifact versions');
select is(tests.visible_rows('workflow_task_artifact_versions', (select org_b from matrix_orgs)), 1, 'other organisation: reads its own');
select throws_ok($$ insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content) values ((select org_a from matrix_orgs), tests.row_id('workflow_task_artifacts', 'mine'), 3, 'Draft v3', '{}') $$, '42501', null, 'other organisation: insert into org A is refused');
select throws_ok($$ update app.workflow_task_artifact_versions set title = 'Edited' where id = tests.row_id('workflow_task_artifact_versions', 'mine') $$, '42501', null, 'other organisation: update is refused (history cannot be rewritten)');
select throws_ok($$ delete from app.workflow_task_artifact_versions where id = tests.row_id('workflow_task_artifact_versions', 'mine') $$, '42501', null, 'other organisation: delete is refused (history cannot be rewritten)');

-- viewer: reads everything of the organisation, writes nothing
select tests.authenticate_as('viewer_a');
select is(tests.visible_rows('workflow_task_artifact_versions', (select org_a from matrix_orgs)), 3, 'viewer: reads the organisation''s artifact versions');
select throws_ok($$ insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content) values (app.current_org_id(), tests.row_id('workflow_task_artifacts', 'open'), 4, 'Draft v4', '{}') $$, '42501', null, 'viewer: insert is refused, even on unassigned work');
select throws_ok($$ update app.workflow_task_artifact_versions set title = 'Edited' where id = tests.row_id('workflow_task_artifact_versions', 'open') $$, '42501', null, 'viewer: update is refused (history cannot be rewritten)');
select throws_ok($$ delete from app.workflow_task_artifact_versions where id = tests.row_id('workflow_task_artifact_versions', 'open') $$, '42501', null, 'viewer: delete is refused (history cannot be rewritten)');

-- csm on a colleague's execution: reads, writes nothing
select tests.authenticate_as('csm_a');
select is(tests.visible_rows('workflow_task_artifact_versions', (select org_a from matrix_orgs)), 3, 'csm: reads the organisation''s artifact versions, a colleague''s too');
select throws_ok($$ insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content) values (app.current_org_id(), tests.row_id('workflow_task_artifacts', 'theirs'), 5, 'Draft v5', '{}') $$, '42501', null, 'csm: insert on a colleague''s execution is refused');
select throws_ok($$ update app.workflow_task_artifact_versions set title = 'Edited' where id = tests.row_id('workflow_task_artifact_versions', 'theirs') $$, '42501', null, 'csm: update is refused (history cannot be rewritten)');
select throws_ok($$ delete from app.workflow_task_artifact_versions where id = tests.row_id('workflow_task_artifact_versions', 'theirs') $$, '42501', null, 'csm: delete is refused (history cannot be rewritten)');

-- csm on their own execution, and on unassigned work
select lives_ok($$ insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content) values (app.current_org_id(), tests.row_id('workflow_task_artifacts', 'mine'), 6, 'Draft v6', '{}') $$, 'csm: insert on their own execution works');
select throws_ok($$ update app.workflow_task_artifact_versions set title = 'Edited' where id = tests.row_id('workflow_task_artifact_versions', 'mine') $$, '42501', null, 'csm: update is refused (history cannot be rewritten)');
select throws_ok($$ update app.workflow_task_artifact_versions set title = 'Edited' where id = tests.row_id('workflow_task_artifact_versions', 'open') $$, '42501', null, 'csm: update is refused (history cannot be rewritten)');
select throws_ok($$ delete from app.workflow_task_artifact_versions where id = tests.row_id('workflow_task_artifact_versions', 'mine') $$, '42501', null, 'csm: delete is refused (history cannot be rewritten)');

-- service_role (Edge Functions, ingest, cron): bypasses RLS
select tests.authenticate_as_service_role();
select cmp_ok((select count(distinct org_id)::int from app.workflow_task_artifact_versions where org_id in (select org_a from matrix_orgs union all select org_b from matrix_orgs)), '=', 2, 'service role: reads both organisations');
select lives_ok($$ insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content) values ((select org_b from matrix_orgs), tests.row_id('workflow_task_artifacts', 'b'), 7, 'Draft v7', '{}') $$, 'service role: inserts into any organisation');
select isnt_empty($$ update app.workflow_task_artifact_versions set title = 'Edited' where id = tests.row_id('workflow_task_artifact_versions', 'b') returning 1 $$, 'service role: updates any organisation''s rows');
select isnt_empty($$ delete from app.workflow_task_artifact_versions where id = tests.row_id('workflow_task_artifact_versions', 'b') returning 1 $$, 'service role: deletes any organisation''s rows');

-- manager: writes on any execution of the organisation
select tests.authenticate_as('manager_a');
select lives_ok($$ insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content) values (app.current_org_id(), tests.row_id('workflow_task_artifacts', 'theirs'), 8, 'Draft v8', '{}') $$, 'manager: insert on a csm''s execution works');
select throws_ok($$ update app.workflow_task_artifact_versions set title = 'Edited' where id = tests.row_id('workflow_task_artifact_versions', 'theirs') $$, '42501', null, 'manager: update is refused (history cannot be rewritten)');
select throws_ok($$ delete from app.workflow_task_artifact_versions where id = tests.row_id('workflow_task_artifact_versions', 'theirs') $$, '42501', null, 'manager: delete is refused (history cannot be rewritten)');

-- admin: writes on any execution of the organisation
select tests.authenticate_as('admin_a');
select lives_ok($$ insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content) values (app.current_org_id(), tests.row_id('workflow_task_artifacts', 'open'), 9, 'Draft v9', '{}') $$, 'admin: insert works');
select throws_ok($$ update app.workflow_task_artifact_versions set title = 'Edited' where id = tests.row_id('workflow_task_artifact_versions', 'open') $$, '42501', null, 'admin: update is refused (history cannot be rewritten)');
select throws_ok($$ delete from app.workflow_task_artifact_versions where id = tests.row_id('workflow_task_artifact_versions', 'open') $$, '42501', null, 'admin: delete is refused (history cannot be rewritten)');

select * from finish();
rollback;
