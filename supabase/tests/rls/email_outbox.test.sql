-- Outgoing email (email_outbox) follows the execution it was sent from: every member reads
-- it; the assigned csm (or any csm for unassigned work), managers and admins queue and
-- change it; only managers and admins delete it; a colleague's and a viewer's writes are
-- refused or match nothing.
-- Another organisation sees and changes nothing; anon is refused; service_role does anything.
begin;
select plan(31);
select tests.create_rls_world();
-- One queued email per fixture execution, subject 'Email <label>'.
insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text)
select e.org_id, e.id, '{cfo@acme.example}', concat('Email ', e.metadata ->> 'label'), 'Hello'
from app.workflow_executions e where e.org_id in (tests.org_id('Org A'), tests.org_id('Org B'));
-- Their ids by label, looked up before any role switch (RLS would hide other organisations' rows).
create temporary table outbox_ids on commit drop as
select replace(subject, 'Email ', '') as label, id from app.email_outbox where subject like 'Email %';
grant select on outbox_ids to anon, authenticated, service_role;
create temporary table matrix_orgs on commit drop as select tests.org_id('Org A') as org_a, tests.org_id('Org B') as org_b;
grant select on matrix_orgs to anon, authenticated, service_role;

-- anon: no privilege on app at all
select tests.authenticate_as_anon();
select throws_ok($$ select 1 from app.email_outbox $$, '42501', null, 'anon: select is refused');
select throws_ok($$ insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text) values ((select org_a from matrix_orgs), tests.row_id('workflow_executions', 'mine'), '{cfo@acme.example}', 'Follow-up', 'Hello') $$, '42501', null, 'anon: insert is refused');
select throws_ok($$ update app.email_outbox set status = 'cancelled' $$, '42501', null, 'anon: update is refused');
select throws_ok($$ delete from app.email_outbox $$, '42501', null, 'anon: delete is refused');

-- a member of another organisation (its admin)
select tests.authenticate_as('admin_b');
select is(tests.visible_rows('email_outbox', (select org_a from matrix_orgs)), 0, 'other organisation: reads none of org A''s outgoing emails');
select is(tests.visible_rows('email_outbox', (select org_b from matrix_orgs)), 1, 'other organisation: reads its own');
select throws_ok($$ insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text) values ((select org_a from matrix_orgs), tests.row_id('workflow_executions', 'mine'), '{cfo@acme.example}', 'Follow-up', 'Hello') $$, '42501', null, 'other organisation: insert into org A is refused');
select is_empty($$ update app.email_outbox set status = 'cancelled' where id = (select id from outbox_ids where label = 'mine') returning 1 $$, 'other organisation: update matches nothing');
select is_empty($$ delete from app.email_outbox where id = (select id from outbox_ids where label = 'mine') returning 1 $$, 'other organisation: delete matches nothing');

-- viewer: reads everything of the organisation, writes nothing
select tests.authenticate_as('viewer_a');
select is(tests.visible_rows('email_outbox', (select org_a from matrix_orgs)), 3, 'viewer: reads the organisation''s outgoing emails');
select throws_ok($$ insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text) values (app.current_org_id(), tests.row_id('workflow_executions', 'open'), '{cfo@acme.example}', 'Follow-up', 'Hello') $$, '42501', null, 'viewer: insert is refused, even on unassigned work');
select is_empty($$ update app.email_outbox set status = 'cancelled' where id = (select id from outbox_ids where label = 'open') returning 1 $$, 'viewer: update matches nothing');
select is_empty($$ delete from app.email_outbox where id = (select id from outbox_ids where label = 'open') returning 1 $$, 'viewer: delete matches nothing');

-- csm on a colleague's execution: reads, writes nothing
select tests.authenticate_as('csm_a');
select is(tests.visible_rows('email_outbox', (select org_a from matrix_orgs)), 3, 'csm: reads the organisation''s outgoing emails, a colleague''s too');
select throws_ok($$ insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text) values (app.current_org_id(), tests.row_id('workflow_executions', 'theirs'), '{cfo@acme.example}', 'Follow-up', 'Hello') $$, '42501', null, 'csm: insert on a colleague''s execution is refused');
select is_empty($$ update app.email_outbox set status = 'cancelled' where id = (select id from outbox_ids where label = 'theirs') returning 1 $$, 'csm: update on a colleague''s execution matches nothing');
select is_empty($$ delete from app.email_outbox where id = (select id from outbox_ids where label = 'theirs') returning 1 $$, 'csm: delete on a colleague''s execution matches nothing');

-- csm on their own execution, and on unassigned work
select lives_ok($$ insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text) values (app.current_org_id(), tests.row_id('workflow_executions', 'mine'), '{cfo@acme.example}', 'Follow-up', 'Hello') $$, 'csm: insert on their own execution works');
select isnt_empty($$ update app.email_outbox set status = 'cancelled' where id = (select id from outbox_ids where label = 'mine') returning 1 $$, 'csm: update on their own execution works');
select isnt_empty($$ update app.email_outbox set status = 'cancelled' where id = (select id from outbox_ids where label = 'open') returning 1 $$, 'csm: update on unassigned work works');
select is_empty($$ delete from app.email_outbox where id = (select id from outbox_ids where label = 'mine') returning 1 $$, 'csm: delete matches nothing even on their own execution (managers and admins only)');

-- service_role (Edge Functions, ingest, cron): bypasses RLS
select tests.authenticate_as_service_role();
select cmp_ok((select count(distinct org_id)::int from app.email_outbox where org_id in (select org_a from matrix_orgs union all select org_b from matrix_orgs)), '=', 2, 'service role: reads both organisations');
select lives_ok($$ insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text) values ((select org_b from matrix_orgs), tests.row_id('workflow_executions', 'b'), '{cfo@acme.example}', 'Follow-up', 'Hello') $$, 'service role: inserts into any organisation');
select isnt_empty($$ update app.email_outbox set status = 'cancelled' where id = (select id from outbox_ids where label = 'b') returning 1 $$, 'service role: updates any organisation''s rows');
select isnt_empty($$ delete from app.email_outbox where id = (select id from outbox_ids where label = 'b') returning 1 $$, 'service role: deletes any organisation''s rows');

-- manager: writes on any execution of the organisation
select tests.authenticate_as('manager_a');
select lives_ok($$ insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text) values (app.current_org_id(), tests.row_id('workflow_executions', 'theirs'), '{cfo@acme.example}', 'Follow-up', 'Hello') $$, 'manager: insert on a csm''s execution works');
select isnt_empty($$ update app.email_outbox set status = 'cancelled' where id = (select id from outbox_ids where label = 'theirs') returning 1 $$, 'manager: update works');
select isnt_empty($$ delete from app.email_outbox where id = (select id from outbox_ids where label = 'theirs') returning 1 $$, 'manager: delete works');

-- admin: writes on any execution of the organisation
select tests.authenticate_as('admin_a');
select lives_ok($$ insert into app.email_outbox (org_id, execution_id, to_addresses, subject, body_text) values (app.current_org_id(), tests.row_id('workflow_executions', 'open'), '{cfo@acme.example}', 'Follow-up', 'Hello') $$, 'admin: insert works');
select isnt_empty($$ update app.email_outbox set status = 'cancelled' where id = (select id from outbox_ids where label = 'open') returning 1 $$, 'admin: update works');
select isnt_empty($$ delete from app.email_outbox where id = (select id from outbox_ids where label = 'open') returning 1 $$, 'admin: delete works');

select * from finish();
rollback;
