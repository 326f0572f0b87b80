-- Delivery is the service's: users cannot claim, complete, drain or withdraw, and the old
-- unclaimed way of recording an email's outcome is closed.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) ->> 'action_execution_id') as aid \gset
select (select id from app.email_outbox where action_execution_id = :'aid') as oid \gset
select throws_ok(format('select public.claim_outbox_message(%L)', :'oid'), '42501', null, 'a user cannot claim an email');
select throws_ok('select public.claim_due_outbox_messages(10)', '42501', null, 'nor drain the outbox');
select throws_ok(format('select public.complete_outbox_message(%L, %L, %L)', :'oid', gen_random_uuid(), 'sent'), '42501', null, 'nor record a delivery');
select throws_ok(format('select public.withdraw_overridden_approval(%L, %L, %L)', :'csm', :'eid', '{}'), '42501', null, 'nor call the withdrawal hook');
select tests.authenticate_as_anon();
select throws_ok(format('select public.claim_outbox_message(%L)', :'oid'), '42501', null, 'anon cannot either');
select tests.authenticate_as_service_role();
select throws_ok(format('select public.record_action_side_effect(%L, %L, %L)', :'aid', 'send_email', 'sent'), '22023', null,
  'an email''s outcome is never recorded without its lease');
select is((select status from app.email_outbox where id = :'oid'), 'queued', 'nothing was sent');
select * from finish();
rollback;
