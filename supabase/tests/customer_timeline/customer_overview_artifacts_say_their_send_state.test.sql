-- The customer page's artifacts say where their email is (send_state), as the workflow page's
-- do and by the same rule (app.artifact_send_state): queued while it waits in the outbox,
-- sent once delivered, failed when its newest send failed, null when never sent. Before, the
-- overview carried only approved_at, and the customer page said "Approved" of an email that
-- had gone out or whose send had failed (migration 20261208300000).
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by)
values (:'org', :'eid', 'email_draft', 'Never sent', '{"body": "draft"}', :'csm'),
       (:'org', :'eid', 'email_draft', 'Bounced', '{"body": "first"}', :'csm');
insert into app.email_outbox (org_id, execution_id, artifact_id, requested_by, to_addresses, subject, body_text, status, last_error)
select :'org', :'eid', a.id, :'csm', array['a@example.com'], a.title, 'first', 'failed', 'mailbox full'
  from app.workflow_task_artifacts a where a.execution_id = :'eid' and a.title = 'Bounced';

select tests.authenticate_as('e_csm');
select public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) as first \gset
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_customer_overview(:'cust') -> 'artifacts') a where a ->> 'title' = 'Renewal'),
  'queued', 'an email waiting in the outbox is queued');
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_customer_overview(:'cust') -> 'artifacts') a where a ->> 'title' = 'Never sent'),
  null, 'a draft never handed to the outbox has no send state');
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_customer_overview(:'cust') -> 'artifacts') a where a ->> 'title' = 'Bounced'),
  'failed', 'a draft whose send failed says so');

-- delivered, as the outbox drain does
select tests.authenticate_as_service_role();
select public.claim_outbox_message((:'first'::jsonb #>> '{result,outbox_id}')::uuid) #>> '{outbox,lease_token}' as token \gset
select public.complete_outbox_message((:'first'::jsonb #>> '{result,outbox_id}')::uuid, :'token', 'sent') is not null as done \gset
select tests.authenticate_as('e_viewer');
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_customer_overview(:'cust') -> 'artifacts') a where a ->> 'title' = 'Renewal'),
  'sent', 'once delivered it is sent, for a viewer too');
-- The same word as the workflow page says of the same draft.
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_customer_overview(:'cust') -> 'artifacts') a where a ->> 'title' = 'Bounced'),
  (select a ->> 'send_state' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'title' = 'Bounced'),
  'the customer page and the workflow page say the same');

select * from finish();
rollback;
