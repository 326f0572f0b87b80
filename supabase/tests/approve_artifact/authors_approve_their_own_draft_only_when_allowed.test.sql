-- Where email approval is required, the author approves their own draft only if the
-- organisation allows it (allow_self_approval, default false); others approve as before.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by)
values (:'org', :'eid', 'email_draft', 'Mine', '{"to": ["cfo@contoso.example"], "body": "Hi"}', :'csm') returning id as mine \gset
select is((select allow_self_approval from app.organisation_settings where org_id = :'org'), false, 'self-approval is off by default');
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.approve_artifact(%L)', :'mine'), '42501', 'You may not approve a draft whose current text you wrote', 'the author may not approve their own draft');
select tests.authenticate_as('e_manager');
select is(public.approve_artifact(:'mine') ->> 'approved', 'true', 'another member (the manager) may');
select tests.authenticate_as('e_csm');
select is(public.approve_artifact(:'mine', false) ->> 'approved', 'false', 'the author may still withdraw an approval');
select tests.clear_authentication();
update app.organisation_settings set allow_self_approval = true where org_id = :'org';
select tests.authenticate_as('e_csm');
select is(public.approve_artifact(:'mine') ->> 'approved', 'true', 'with allow_self_approval the author may');
select tests.clear_authentication();
update app.organisation_settings set allow_self_approval = false, require_email_approval = false where org_id = :'org';
update app.workflow_task_artifacts set approved_by = null, approved_at = null where id = :'mine';
select tests.authenticate_as('e_csm');
select is(public.approve_artifact(:'mine') ->> 'approved', 'true', 'where approval is not required the rule does not apply');
select * from finish();
rollback;
