-- An execution's artifacts say where their email is (send_state): queued while it waits in
-- the outbox (when the draft is already kept as it will go out, but sent_at is not set
-- yet), sent once delivered, failed when its newest send failed (editable again), null when
-- never sent; so the workflow page offers Edit only where the database allows it
-- (migration 20261205220000).
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by)
values (:'org', :'eid', 'email_draft', 'Never sent', '{"body": "draft"}', :'csm'),
       (:'org', :'eid', 'email_draft', 'Bounced', '{"body": "first"}', :'csm'),
       (:'org', :'eid', 'email_draft', 'Bounced, then queued again', '{"body": "first"}', :'csm');
insert into app.email_outbox (org_id, execution_id, artifact_id, requested_by, to_addresses, subject, body_text, status, last_error, created_at)
select :'org', :'eid', a.id, :'csm', array['a@example.com'], a.title, 'first', 'failed', 'mailbox full', now() - interval '1 hour'
  from app.workflow_task_artifacts a where a.execution_id = :'eid' and a.title like 'Bounced%';
insert into app.email_outbox (org_id, execution_id, artifact_id, requested_by, to_addresses, subject, body_text, status)
select :'org', :'eid', a.id, :'csm', array['a@example.com'], a.title, 'second', 'queued'
  from app.workflow_task_artifacts a where a.execution_id = :'eid' and a.title = 'Bounced, then queued again';

select tests.authenticate_as('e_csm');
select public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) as first \gset
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'title' = 'Renewal'), 'queued', 'a draft waiting in the outbox is queued (not sent: sent_at is still null)');
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'title' = 'Never sent'), null, 'a draft never handed to the outbox has no send state');
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'title' = 'Bounced'), 'failed', 'a draft whose send failed says so');
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'title' = 'Bounced, then queued again'), 'queued', 'a send waiting in the outbox wins over an older failure');

-- delivered, as the outbox drain does
select tests.authenticate_as_service_role();
select public.claim_outbox_message((:'first'::jsonb #>> '{result,outbox_id}')::uuid) #>> '{outbox,lease_token}' as token \gset
select public.complete_outbox_message((:'first'::jsonb #>> '{result,outbox_id}')::uuid, :'token', 'sent') is not null as done \gset
select tests.authenticate_as('e_csm');
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'title' = 'Renewal'), 'sent', 'once delivered it is sent');
select tests.authenticate_as('e_viewer');
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'title' = 'Bounced'), 'failed', 'a viewer reads the same send state');

select * from finish();
rollback;
