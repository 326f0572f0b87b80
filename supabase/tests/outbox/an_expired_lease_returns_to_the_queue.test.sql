-- A worker that dies mid-send loses its lease when it expires: the email returns to the
-- queue, the next claim counts a new attempt, and the dead worker cannot record anything.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) -> 'result' ->> 'outbox_id') as oid \gset
select tests.authenticate_as_service_role();
select public.claim_outbox_message(:'oid') #>> '{outbox,lease_token}' as dead \gset
select is(jsonb_array_length(public.claim_due_outbox_messages(10)), 0, 'while the lease holds, nothing is due');
update app.email_outbox set lease_expires_at = now() - interval '1 second' where id = :'oid';
select is(app.release_expired_outbox_leases(), 1, 'the expired lease is released');
select is((select status from app.email_outbox where id = :'oid'), 'queued', 'the email is back in the queue');
select public.claim_due_outbox_messages(10) as again \gset
select results_eq(format('select %L::jsonb #>> %L, (%L::jsonb #>> %L)::int', :'again', '{0,id}', :'again', '{0,attempts}'),
  format('values (%L, 2)', :'oid'), 'the drain claims it again as the second attempt');
select isnt(:'again'::jsonb #>> '{0,lease_token}', :'dead', 'with a new lease token');
select throws_ok(format('select public.complete_outbox_message(%L, %L, %L)', :'oid', :'dead', 'sent'), 'PT409', null,
  'the dead worker can no longer record an outcome');
-- A worker whose lease ran out on its fifth attempt does not get a sixth.
update app.email_outbox set attempts = 5, lease_expires_at = now() - interval '1 second' where id = :'oid';
select public.claim_due_outbox_messages(10) as none \gset
select is((select status from app.email_outbox where id = :'oid'), 'failed', 'after the last attempt the email fails instead');
select * from finish();
rollback;
