-- A retried email waits for another copy of its draft still on its way (docs/business-rules.md
-- "Email is sent once"): a failed email sent again, which failed too, left two failed copies;
-- retrying the older put it back in the queue, and retrying the newer then queued it as well
-- (only copies sent since a failure were looked at), so the drain delivered the same email to
-- the customer twice. Now a retry while any other copy of the draft is queued or being sent is
-- PT409 "Cannot send this email again: it is on its way", as a resend is (migration
-- 20261213100000, app.refuse_email_on_its_way), and changes nothing.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
update app.workflow_executions set status = 'in_progress' where id = :'eid';

-- Sent, failed; sent again, failed again: two failed copies of one draft.
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) -> 'result' ->> 'outbox_id') as first \gset
select tests.clear_authentication();
update app.email_outbox set status = 'failed', attempts = 5, last_error = 'SMTP 451' where id = :'first';
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) -> 'result' ->> 'outbox_id') as second \gset
select tests.clear_authentication();
update app.email_outbox set status = 'failed', attempts = 5, last_error = 'SMTP 451' where id = :'second';

select tests.authenticate_as('e_csm');
select is(public.retry_outbox_message(:'first') ->> 'status', 'queued', 'the older copy is retried');
select throws_ok(format('select public.retry_outbox_message(%L)', :'second'), 'PT409',
  'Cannot send this email again: it is on its way',
  'the newer is refused while the older is queued');
select tests.clear_authentication();
select is((select status from app.email_outbox where id = :'second'), 'failed', 'and stays failed');

-- Being sent (the drain holds it) counts as on its way too, for a manager alike.
update app.email_outbox set status = 'sending', lease_token = gen_random_uuid(), lease_expires_at = now() + interval '5 minutes'
 where id = :'first';
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.retry_outbox_message(%L)', :'second'), 'PT409',
  'Cannot send this email again: it is on its way',
  'and while the older is being sent');
select tests.clear_authentication();
select is((select count(*)::int from app.email_outbox where artifact_id = :'art' and status in ('queued', 'sending')), 1,
  'one copy is on its way');

-- Once the other copy failed again, the newer may be retried.
update app.email_outbox set status = 'failed', lease_token = null, lease_expires_at = null where id = :'first';
select tests.authenticate_as('e_csm');
select is(public.retry_outbox_message(:'second') ->> 'status', 'queued', 'the newer is retried once nothing else is on its way');
select tests.clear_authentication();

select * from finish();
rollback;
