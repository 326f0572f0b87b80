-- A failed attempt returns the email to the queue after 1 min, 5 min, 30 min, 2 h; the
-- fifth failure is final. Before its time a retry is not claimed.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) -> 'result' ->> 'outbox_id') as oid \gset
select tests.authenticate_as_service_role();
select set_config('test.oid', :'oid', true) as oid_set \gset
create temp table waits (attempt int, status text, wait interval);
do $$
declare
  v_oid uuid := current_setting('test.oid')::uuid;
  v_token uuid;
  v_done jsonb;
begin
  for i in 1..5 loop
    update app.email_outbox set next_attempt_at = now() where id = v_oid;
    v_token := (public.claim_outbox_message(v_oid) #>> '{outbox,lease_token}')::uuid;
    v_done := public.complete_outbox_message(v_oid, v_token, 'failed', 'The mail server refused the message (451).');
    insert into waits select (v_done #>> '{outbox,attempts}')::int, v_done #>> '{outbox,status}',
                             (v_done #>> '{outbox,next_attempt_at}')::timestamptz - now();
    if i = 1 then
      -- not due yet: a retry now gets the state
      insert into waits select -1, public.claim_outbox_message(v_oid) #>> '{outbox,status}', null;
      insert into waits select -2, public.claim_outbox_message(v_oid) ->> 'claimed', null;
      insert into waits select -3, jsonb_array_length(public.claim_due_outbox_messages(10))::text, null;
    end if;
  end loop;
end;
$$;
select results_eq('select status, wait from waits where attempt between 1 and 4 order by attempt',
  $$values ('queued'::text, interval '1 minute'), ('queued', interval '5 minutes'), ('queued', interval '30 minutes'), ('queued', interval '2 hours')$$,
  'attempts 1 to 4 go back to the queue after 1 min, 5 min, 30 min, 2 h');
select is((select status from waits where attempt = 5), 'failed', 'the fifth failure is final');
select is((select status from waits where attempt = -1), 'queued', 'before its time a retry sees it queued');
select is((select status from waits where attempt = -2), 'false', 'and does not claim it');
select is((select status from waits where attempt = -3), '0', 'nor does the drain');
select results_eq(format('select status, attempts, last_error from app.email_outbox where id = %L', :'oid'),
  $$values ('failed'::text, 5, 'The mail server refused the message (451).'::text)$$, 'failed with its last error');
select is((select side_effects -> 0 ->> 'status' from app.action_executions x join app.email_outbox o on o.action_execution_id = x.id where o.id = :'oid'),
  'failed', 'the action log says failed');
select is((select (side_effects -> 0 ->> 'attempts')::int from app.action_executions x join app.email_outbox o on o.action_execution_id = x.id where o.id = :'oid'),
  5, 'after five attempts');
update app.email_outbox set next_attempt_at = now() - interval '1 hour' where id = :'oid';
select is((public.claim_outbox_message(:'oid') ->> 'claimed')::boolean, false, 'a failed email is not claimed again');
select is(jsonb_array_length(public.claim_due_outbox_messages(10)), 0, 'nor drained');
select is(app.outbox_retry_delay(5), null, 'no wait after the fifth attempt');
select is((select sent_at from app.workflow_task_artifacts where id = :'art'), null, 'the draft is not marked sent');
select * from finish();
rollback;
