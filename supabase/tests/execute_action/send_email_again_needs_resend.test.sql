-- A draft that was sent (or is on its way) is sent again only with resend: true.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select tests.authenticate_as('e_csm');
select public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) as first \gset
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid', jsonb_build_object('artifact_id', :'art')),
  'PT409', 'Cannot send this email: it was already sent (it is on its way)', 'a second send while the first is queued is refused');
select tests.authenticate_as_service_role();
select public.claim_outbox_message((:'first'::jsonb #>> '{result,outbox_id}')::uuid) #>> '{outbox,lease_token}' as token \gset
select public.complete_outbox_message((:'first'::jsonb #>> '{result,outbox_id}')::uuid, :'token', 'sent') is not null as done \gset
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid', jsonb_build_object('artifact_id', :'art')),
  'PT409', 'Cannot send this email: it was already sent', 'a sent draft is not sent again by accident');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid', jsonb_build_object('artifact_id', :'art', 'resend', 'yes')),
  '22023', null, 'resend is true or false');
select public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art', 'resend', true)) as again \gset
select is(:'again'::jsonb #>> '{result,resend}', 'true', 'resend: true sends it again');
select is((select count(*)::int from app.email_outbox where artifact_id = :'art'), 2, 'as a second outbox row');
select is((select get_artifact -> 'sent_outbox_id' from public.get_artifact(:'art')) #>> '{}', :'first'::jsonb #>> '{result,outbox_id}',
  'the draft shows when and which send delivered it');
select * from finish();
rollback;
