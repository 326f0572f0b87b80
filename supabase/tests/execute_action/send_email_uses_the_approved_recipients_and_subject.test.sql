-- With approval required the email goes to the approved draft's recipients with its
-- subject: asking for others (to, cc or subject, any spelling) is refused (PT409), and
-- the withdrawal hook the execute-action function calls then withdraws the approval.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid',
  jsonb_build_object('artifact_id', :'art', 'to', 'attacker@outside.example')), 'PT409', null, 'other recipients are refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid',
  jsonb_build_object('artifact_id', :'art', 'to', jsonb_build_array('cfo@contoso.example', 'attacker@outside.example'))), 'PT409', null,
  'an added recipient is refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid',
  jsonb_build_object('artifact_id', :'art', 'cc', 'attacker@outside.example')), 'PT409', null, 'another cc is refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid',
  jsonb_build_object('artifact_id', :'art', 'cc', '[]'::jsonb)), 'PT409', null, 'dropping the approved cc is refused');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid',
  jsonb_build_object('artifact_id', :'art', 'subject', 'Wire the money')), 'PT409', null, 'another subject is refused');
select is((select count(*)::int from app.email_outbox where artifact_id = :'art'), 0, 'nothing was queued');
select tests.authenticate_as_service_role();
select is(public.withdraw_overridden_approval(:'csm', :'eid', jsonb_build_object('artifact_id', :'art', 'subject', 'Your renewal')), false,
  'the hook withdraws nothing for a send that matches the draft');
select is(public.withdraw_overridden_approval(:'csm', :'eid', jsonb_build_object('artifact_id', :'art', 'to', 'attacker@outside.example')), true,
  'an overriding send withdraws the approval');
select results_eq(format($$select approved_at is null, metadata #>> '{approval_log,-1,reason}', metadata #>> '{approval_log,-1,by}' from app.workflow_task_artifacts where id = %L$$, :'art'),
  format($$values (true, 'send asked for other recipients'::text, %L::text)$$, :'csm'), 'the draft is back to unapproved, recorded with who and why');
-- The same recipients in another spelling or order are the approved ones; the email
-- carries exactly the draft's recipients and subject.
update app.workflow_task_artifacts set approved_by = :'manager', approved_at = now() where id = :'art';
select tests.authenticate_as('e_csm');
select public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art', 'to', jsonb_build_array('CFO@contoso.example'),
  'cc', 'cto@contoso.example', 'subject', ' Your renewal ')) as x \gset
select results_eq(format('select to_addresses, cc_addresses, subject from app.email_outbox where id = %L', :'x'::jsonb #>> '{result,outbox_id}'),
  $$values ('{cfo@contoso.example}'::text[], '{cto@contoso.example}'::text[], 'Your renewal'::text)$$, 'the approved recipients and subject are used');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid',
  jsonb_build_object('artifact_id', :'art', 'to', 'not an address', 'resend', true)), '22023', null, 'a malformed address is bad input');
select * from finish();
rollback;
