-- An email goes out as it was approved. An email draft holds to, cc, subject and body only
-- (nothing the approver is not shown); the send takes the body, never HTML. The outbox
-- follows the draft: withdrawing the approval stops a queued send, changing the text cancels
-- a failed one (a retry cannot deliver the old words), a retry on an escalated workflow is
-- refused, and a draft that was sent or is on its way can be neither deleted nor un-approved.
begin;
select plan(20);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
update app.workflow_executions set status = 'in_progress' where id = :'eid';

-- What an email draft holds.
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'eid', 'email_draft', 'Hidden',
  '{"to": ["cfo@contoso.example"], "subject": "Hi", "body": "Hi", "html": "<p>90% off</p>"}'),
  '22023', 'An email draft holds to, cc, subject and body; content.html is not one of them', 'no HTML the approver never sees');
select throws_ok(format('select public.update_artifact(%L, %L, 1)', :'art', '{"content": {"to": ["cfo@contoso.example"], "body_text": "A", "text": "B"}}'),
  '22023', null, 'no second spelling of the text on an edit either');
select throws_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'eid', 'email_draft', 'Odd', '{"to": ["cfo@contoso.example"], "body": {"html": "x"}}'),
  '22023', 'content.body of an email draft must be text', 'the body is text');
select lives_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'eid', 'summary', 'Notes', '{"html": "<p>fine</p>", "text": "x"}'),
  'other kinds of artifact keep their own shapes');

-- A draft without text is not sent.
select tests.clear_authentication();
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by, approved_by, approved_at)
values (:'org', :'eid', 'email_draft', 'Empty', '{"to": ["cfo@contoso.example"], "subject": "Empty", "body": "  "}', :'csm', :'manager', now())
returning id as empty \gset
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid', jsonb_build_object('artifact_id', :'empty')),
  '22023', 'Cannot send this email: the draft has no text', 'an empty draft is not sent');

-- A cc the approver saw is sent or refused, never dropped.
select tests.clear_authentication();
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by, approved_by, approved_at)
values (:'org', :'eid', 'email_draft', 'Copied', '{"to": ["cfo@contoso.example"], "cc": "cto@contoso.example, legal", "subject": "Copied", "body": "Hi"}', :'csm', :'manager', now())
returning id as copied \gset
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid', jsonb_build_object('artifact_id', :'copied')),
  '22023', 'cc holds an address that is not valid', 'an invalid cc is refused, not dropped');

-- The send takes the body, never HTML.
select (public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) -> 'result' ->> 'outbox_id') as oid \gset
select is((select (body_text, body_html)::text from app.email_outbox where id = :'oid'), '(Hello,)', 'the outbox holds the body the approver read, no HTML');

-- On its way: kept, and its approval with it.
select throws_ok(format('select public.delete_artifact(%L)', :'art'), 'PT409', null, 'a queued draft cannot be deleted');

-- Withdrawing the approval while it waits stops it.
select tests.authenticate_as('e_manager');
select lives_ok(format('select public.approve_artifact(%L, false)', :'art'), 'the approver withdraws while it waits in the queue');
select tests.clear_authentication();
select is((select status from app.email_outbox where id = :'oid'), 'cancelled', 'the queued send is cancelled with it');
select is((select x.side_effects -> 0 ->> 'status' from app.action_executions x join app.email_outbox o on o.action_execution_id = x.id where o.id = :'oid'),
  'cancelled', 'the action log says so');

-- A failed send, then an edit: the old text is never retried.
select tests.authenticate_as('e_manager');
select public.approve_artifact(:'art');
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) -> 'result' ->> 'outbox_id') as oid2 \gset
select tests.clear_authentication();
update app.email_outbox set status = 'failed', attempts = 5, last_error = 'SMTP 550' where id = :'oid2';
select tests.authenticate_as('e_csm');
select public.update_artifact(:'art', '{"content": {"to": ["cfo@contoso.example"], "subject": "Your renewal", "body": "New words"}}',
  (select version from app.workflow_task_artifacts where id = :'art'));
select tests.clear_authentication();
select is((select status from app.email_outbox where id = :'oid2'), 'cancelled', 'changing the text cancels the failed send of the old one');
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.retry_outbox_message(%L)', :'oid2'), 'PT409', null, 'so a retry cannot deliver words nobody approved');

-- A failed send on an escalated workflow waits for the decision.
select tests.authenticate_as('e_manager');
select public.approve_artifact(:'art');
select tests.authenticate_as('e_csm');
select (public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) -> 'result' ->> 'outbox_id') as oid3 \gset
select tests.clear_authentication();
update app.email_outbox set status = 'failed', attempts = 5, last_error = 'SMTP 421' where id = :'oid3';
select tests.authenticate_as('e_csm');
select public.execute_action('escalate', :'eid', '{"reason": "Procurement blocks the renewal"}') is not null as escalated \gset
select throws_ok(format('select public.retry_outbox_message(%L)', :'oid3'), 'PT409',
  'Cannot send this email now: its workflow is escalated and waits for a decision', 'no retry while escalated');
select tests.clear_authentication();
select is((select status from app.email_outbox where id = :'oid3'), 'failed', 'the refused retry changed nothing');

-- The drain leaves an escalated workflow's mail queued until the decision.
select tests.clear_authentication();
update app.email_outbox set status = 'queued', next_attempt_at = now() - interval '1 minute' where id = :'oid3';
select is(public.claim_due_outbox_messages(100), '[]'::jsonb, 'the drain claims nothing of an escalated workflow');
select is((public.claim_outbox_message(:'oid3') ->> 'claimed')::boolean, false, 'nor does a claim of that one row');
update app.email_outbox set status = 'failed' where id = :'oid3';

-- A failed send of a deleted draft is cancelled with it.
select tests.authenticate_as('e_csm');
select lives_ok(format('select public.delete_artifact(%L)', :'art'), 'a draft whose send failed can be deleted');
select tests.clear_authentication();
select is((select status from app.email_outbox where id = :'oid3'), 'cancelled', 'and its failed send is cancelled');

-- Delivered: kept, and its approval with it.
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by, approved_by, approved_at, sent_at)
values (:'org', :'eid', 'email_draft', 'Sent one', '{"to": ["cfo@contoso.example"], "subject": "Sent", "body": "Gone"}', :'csm', :'manager', now(), now())
returning id as sent \gset
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.approve_artifact(%L, false)', :'sent'), 'PT409', null, 'a sent email keeps its approval');
select tests.clear_authentication();
select * from finish();
rollback;
