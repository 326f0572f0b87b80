-- A draft whose email went to no mail server (the mail sink, no SMTP set up) says so on the
-- workflow page and the customer page (send_state 'no_mail_server'), where it said 'sent' as
-- the Sent mail page said "Not sent (no mail server)"; once a mail server delivers it, it is
-- sent (migration 20261216800000).
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset

select tests.authenticate_as('e_csm');
select public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) as first \gset

-- delivered to the sink, as the outbox drain does without SMTP_HOST
select tests.authenticate_as_service_role();
select public.claim_outbox_message((:'first'::jsonb #>> '{result,outbox_id}')::uuid) #>> '{outbox,lease_token}' as token \gset
select public.complete_outbox_message((:'first'::jsonb #>> '{result,outbox_id}')::uuid, :'token', 'delivered_to_sink') is not null as done \gset
select isnt((select sent_at from app.workflow_task_artifacts where id = :'art'), null, 'the sink sets sent_at (it is kept as handed over)');

select tests.authenticate_as('e_csm');
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'id' = :'art'),
          'no_mail_server', 'a draft no mail server took says so on its workflow');
select is((select app.artifact_send_state(a.id, a.org_id, a.sent_at) from app.workflow_task_artifacts a where a.id = :'art'),
          'no_mail_server', 'and to every page that asks (the customer page)');

-- a mail server set up since delivers it again: sent
select tests.authenticate_as_service_role();
insert into app.email_outbox (org_id, execution_id, artifact_id, requested_by, to_addresses, subject, body_text, status, sent_at)
values (:'org', :'eid', :'art', :'csm', array['a@example.com'], 'Renewal', 'again', 'sent', now());
select tests.authenticate_as('e_csm');
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'id' = :'art'),
          'sent', 'delivered by a mail server once, it is sent');

select tests.authenticate_as('e_viewer');
select is((select a ->> 'send_state' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'id' = :'art'),
          'sent', 'a viewer reads the same');

select * from finish();
rollback;
