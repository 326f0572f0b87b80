-- A queued email is claimed by exactly one caller: a lease (sending, token, expiry) and
-- the attempt counted; a second claim gets the current state, not the message.
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) -> 'result' ->> 'outbox_id') as oid \gset
select tests.authenticate_as_service_role();
select public.claim_outbox_message(:'oid') as first \gset
select public.claim_outbox_message(:'oid') as second \gset
select is((:'first'::jsonb ->> 'claimed')::boolean, true, 'the first claim gets the message');
select isnt(:'first'::jsonb #>> '{outbox,lease_token}', null, 'with a lease token');
select is(:'first'::jsonb #>> '{outbox,to,0}', 'cfo@contoso.example', 'and what to send');
select is((:'second'::jsonb ->> 'claimed')::boolean, false, 'a second claim does not');
select is(:'second'::jsonb #>> '{outbox,status}', 'sending', 'it is told the message is in flight');
select is(:'second'::jsonb -> 'outbox' ? 'lease_token', false, 'and never sees the lease token');
select results_eq(format('select status, attempts, lease_expires_at > now() from app.email_outbox where id = %L', :'oid'),
  $$values ('sending'::text, 1, true)$$, 'the row is leased, one attempt counted');
select is(jsonb_array_length(public.claim_due_outbox_messages(10)), 0, 'the drain finds nothing else due');
select is((select side_effects -> 0 ->> 'status' from app.action_executions
            where id = (select action_execution_id from app.email_outbox where id = :'oid')), 'sending',
  'the action log shows the send in flight');
select * from finish();
rollback;
