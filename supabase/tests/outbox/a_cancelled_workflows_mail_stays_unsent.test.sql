-- A workflow called off sends nothing more; what a finished one sent goes out once
-- (migration 20261215301000, docs/business-rules.md "Email is sent once"). Before, an email
-- queued for a retry went out after its workflow was cancelled: by the drain, or by the send
-- pressed again under its key (execute-action's replay), so the customer got mail from work
-- a CSM or a manager had closed. Now cancelling a workflow cancels its mail not yet out
-- (queued or failed), with the reason, and a copy being delivered at that moment that then
-- fails is cancelled rather than queued again; nothing of it can be retried. A completed
-- workflow's mail still goes out, once: it was approved and sent on open work.
begin;
select plan(14);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select cust as cust1, eid as eid1, art as art1 from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select cust as cust2, eid as eid2, art as art2 from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select cust as cust3, eid as eid3, art as art3 from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select cust as cust4, eid as eid4, art as art4 from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
update app.workflow_executions set status = 'in_progress' where id in (:'eid1', :'eid2', :'eid3', :'eid4');

-- Each sent under a key; each first attempt fails, so each waits in the queue for its retry.
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid1', jsonb_build_object('artifact_id', :'art1'), 'send-1') -> 'result' ->> 'outbox_id') as o1 \gset
select (public.execute_action('send_email', :'eid2', jsonb_build_object('artifact_id', :'art2'), 'send-2') -> 'result' ->> 'outbox_id') as o2 \gset
select (public.execute_action('send_email', :'eid3', jsonb_build_object('artifact_id', :'art3'), 'send-3') -> 'result' ->> 'outbox_id') as o3 \gset
select tests.authenticate_as_service_role();
select public.complete_outbox_message(:'o1', (public.claim_outbox_message(:'o1') #>> '{outbox,lease_token}')::uuid, 'failed', 'SMTP 451') \gset
select public.complete_outbox_message(:'o3', (public.claim_outbox_message(:'o3') #>> '{outbox,lease_token}')::uuid, 'failed', 'SMTP 451') \gset
-- The second is being delivered when its workflow is cancelled.
select (public.claim_outbox_message(:'o2') #>> '{outbox,lease_token}') as lease2 \gset
select tests.clear_authentication();

select tests.authenticate_as('e_csm');
select public.cancel_workflow(:'eid1', 'Duplicate of another renewal') \gset
select public.cancel_workflow(:'eid2', 'Customer asked us to stop') \gset
update app.workflow_executions set status = 'completed', completed_at = now() where id = :'eid3';
select tests.clear_authentication();

select is((select status || ': ' || last_error from app.email_outbox where id = :'o1'),
          'cancelled: Its workflow was cancelled before it went out',
          'a cancelled workflow''s email waiting for a retry is cancelled, with the reason');
select is((select x.side_effects -> 0 ->> 'status' from app.action_executions x where x.idempotency_key = 'send-1'), 'cancelled',
          'and the send''s side effect says so');
select is((select status from app.email_outbox where id = :'o2'), 'sending', 'one being delivered is left to its sender');

update app.email_outbox set next_attempt_at = now() - interval '1 second' where id in (:'o1', :'o3');
select tests.authenticate_as_service_role();
select is(public.complete_outbox_message(:'o2', :'lease2', 'failed', 'SMTP 451') #>> '{outbox,status}', 'cancelled',
          'and when that delivery fails it is cancelled, not queued again');
select is(public.claim_outbox_message(:'o1') ->> 'claimed', 'false', 'a replay''s claim takes none of it');
select is((select string_agg(c ->> 'id', ',') from jsonb_array_elements(public.claim_due_outbox_messages(100)) c
            where c ->> 'id' in (:'o1', :'o2')), null, 'nor does the drain');
select tests.clear_authentication();

-- The send pressed again under its key answers what it did, now cancelled: nothing to deliver.
select tests.authenticate_as('e_csm');
select is(public.execute_action('send_email', :'eid1', jsonb_build_object('artifact_id', :'art1'), 'send-1') #>> '{side_effects,0,status}',
          'cancelled', 'a replay of the send answers it cancelled');
select throws_ok(format('select public.retry_outbox_message(%L)', :'o2'), 'PT409',
                 'Only a failed email can be retried; this one is cancelled', 'and Retry is refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid1',
                        jsonb_build_object('artifact_id', :'art1', 'resend', true)), 'PT409',
                 'Cannot run "Send Email" on this workflow: it is cancelled', 'a new send is refused, as before');
select tests.clear_authentication();

-- The completed workflow's email was sent on open work: it goes out, once.
select is((select status from app.email_outbox where id = :'o3'), 'sending', 'a completed workflow''s email was claimed by the drain above');
select is((select count(*)::int from app.email_outbox where artifact_id = :'art3'), 1, 'one copy of it');
select is((select count(*)::int from app.email_outbox where execution_id in (:'eid1', :'eid2') and status <> 'cancelled'), 0,
          'nothing of the cancelled workflows is left to go out');

-- Mail held by an escalation (queued, then escalated: it waits for the decision), and the
-- manager closes the workflow: it is cancelled with it, never sent after the decision.
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid4', jsonb_build_object('artifact_id', :'art4')) -> 'result' ->> 'outbox_id') as o4 \gset
select public.execute_action('escalate', :'eid4', '{"reason": "They want a discount"}') is not null as esc \gset
select tests.authenticate_as('e_manager');
select public.resolve_escalation(:'eid4', 'close', 'No discount; we close this renewal play') ->> 'status' as closed \gset
select tests.clear_authentication();
select is((select status || ': ' || last_error from app.email_outbox where id = :'o4'),
          'cancelled: Its workflow was cancelled before it went out', 'a manager''s close cancels the mail the escalation held');
select tests.authenticate_as_service_role();
select is(public.claim_outbox_message(:'o4') ->> 'claimed', 'false', 'and nothing sends it after the decision');
select tests.clear_authentication();

select * from finish();
rollback;
