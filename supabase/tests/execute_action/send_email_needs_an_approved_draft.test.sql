-- send_email: only from an email_draft of the workflow, approved when required; queued in the outbox.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content)
values (:'org', :'eid', 'email_draft', 'Renewal', '{"to": ["cfo@contoso.example"], "subject": "Renewal", "body": "Hello"}') returning id as art \gset
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content)
values (:'org', :'eid', 'meeting_notes', 'Notes', '{}') returning id as notes \gset
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid', jsonb_build_object('artifact_id', :'notes')), '22023', null, 'not an email draft');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid', jsonb_build_object('artifact_id', :'art')), 'PT409', null, 'unapproved draft refused (approval required by default)');
select tests.clear_authentication();
update app.workflow_task_artifacts set approved_by = :'manager', approved_at = now() where id = :'art';
select tests.authenticate_as('e_csm');
select public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) as x \gset
select is((select status from app.email_outbox where id = (:'x'::jsonb -> 'result' ->> 'outbox_id')::uuid), 'queued', 'the email is queued in the outbox');
select is(:'x'::jsonb -> 'side_effects' -> 0 ->> 'status', 'pending', 'the send is a pending side effect');

select * from finish();
rollback;
