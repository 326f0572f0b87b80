-- Only the holder of the lease records the outcome, once; a delivered email marks its
-- draft sent (when, which outbox row) and is never claimed again.
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) -> 'result' ->> 'outbox_id') as oid \gset
select tests.authenticate_as_service_role();
select public.claim_outbox_message(:'oid') #>> '{outbox,lease_token}' as token \gset
select throws_ok(format('select public.complete_outbox_message(%L, %L, %L)', :'oid', gen_random_uuid(), 'sent'), 'PT409', null,
  'someone without the lease cannot record an outcome');
select public.complete_outbox_message(:'oid', :'token', 'sent', null, 'smtp-42') as done \gset
select is(:'done'::jsonb #>> '{outbox,status}', 'sent', 'the holder records the delivery');
select is(:'done'::jsonb #>> '{side_effects,0,status}', 'sent', 'the action log says sent');
select is(:'done'::jsonb #>> '{side_effects,0,provider_message_id}', 'smtp-42', 'with the provider''s id');
select throws_ok(format('select public.complete_outbox_message(%L, %L, %L)', :'oid', :'token', 'failed'), 'PT409', null,
  'a finished delivery cannot be recorded again');
select is((public.claim_outbox_message(:'oid') ->> 'claimed')::boolean, false, 'a sent email is not claimed again');
select results_eq(format('select sent_outbox_id::text, sent_at is not null from app.workflow_task_artifacts where id = %L', :'art'),
  format('values (%L, true)', :'oid'), 'the draft is marked sent with its outbox row');
select throws_ok(format('select public.complete_outbox_message(%L, %L, %L)', :'oid', :'token', 'lost'), '22023', null,
  'an unknown outcome is bad input');
select throws_ok(format('select public.complete_outbox_message(%L, %L, %L)', gen_random_uuid(), :'token', 'sent'), 'PT404', null,
  'an unknown message is not found');
select * from finish();
rollback;
