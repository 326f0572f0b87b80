-- retry_outbox_message: a failed email goes back to the queue (attempts start again, the
-- action log's side effect is pending again) for the CSM of its workflow, a manager or an
-- admin; never for a viewer, another CSM or another organisation; only when failed; never
-- after the same draft was sent again.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
update app.workflow_executions set status = 'in_progress' where id = :'eid';
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) -> 'result' ->> 'outbox_id') as oid \gset
select throws_ok(format('select public.retry_outbox_message(%L)', :'oid'), 'PT409', null, 'a queued email is not retried');
select tests.clear_authentication();
update app.email_outbox set status = 'failed', attempts = 5, last_error = 'SMTP 550' where id = :'oid';

select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.retry_outbox_message(%L)', :'oid'), '42501', null, 'not a viewer');
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.retry_outbox_message(%L)', :'oid'), '42501', null, 'not another CSM');
select tests.authenticate_as('o_manager');
select throws_ok(format('select public.retry_outbox_message(%L)', :'oid'), 'PT404', null, 'not another organisation');

select tests.authenticate_as('e_csm');
select public.retry_outbox_message(:'oid') as r \gset
select is(:'r'::jsonb ->> 'status', 'queued', 'the email is queued again');
select is((:'r'::jsonb ->> 'attempts')::int, 0, 'its attempts start again');
select throws_ok(format('select public.retry_outbox_message(%L)', :'oid'), 'PT409', null, 'a second retry is refused while it is queued');
select tests.clear_authentication();
select is((select x.side_effects -> 0 ->> 'status' from app.action_executions x
            join app.email_outbox o on o.action_execution_id = x.id where o.id = :'oid'), 'pending', 'the action log shows it pending again');
select ok((select next_attempt_at <= now() from app.email_outbox where id = :'oid'), 'it is due for the drain now');

-- Sent again since it failed: a retry would deliver it twice.
update app.email_outbox set status = 'failed', attempts = 5 where id = :'oid';
insert into app.email_outbox (org_id, execution_id, artifact_id, requested_by, to_addresses, subject, body_text, status, sent_at, created_at)
values (:'org', :'eid', :'art', :'csm', '{cfo@contoso.example}', 'Your renewal', 'Hello', 'sent', now(), now() + interval '1 second');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.retry_outbox_message(%L)', :'oid'), 'PT409', null, 'not after the draft was sent again');
select tests.clear_authentication();
select is((select status from app.email_outbox where id = :'oid'), 'failed', 'the refused retry changed nothing');

select * from finish();
rollback;
