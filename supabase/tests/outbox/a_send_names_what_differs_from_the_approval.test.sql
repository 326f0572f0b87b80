-- A send of an approved draft that asks for another subject or other recipients is
-- refused, PT409 approval_overridden, in words that read (migration 20261208203000): "its
-- subject differs", "its recipients differ", "its recipients and subject differ"; nothing
-- is queued.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
update app.workflow_executions set status = 'in_progress' where id = :'eid';

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid',
                        jsonb_build_object('artifact_id', :'art', 'subject', 'Another subject')),
  'PT409', 'Cannot send this email: its subject differs from the approved draft', 'the subject alone differs');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid',
                        jsonb_build_object('artifact_id', :'art', 'to', jsonb_build_array('ceo@contoso.example'))),
  'PT409', 'Cannot send this email: its recipients differ from the approved draft', 'the recipients differ');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'send_email', :'eid',
                        jsonb_build_object('artifact_id', :'art', 'to', jsonb_build_array('ceo@contoso.example'), 'subject', 'Another subject')),
  'PT409', 'Cannot send this email: its recipients and subject differ from the approved draft', 'both differ');
select tests.clear_authentication();
select is((select count(*)::int from app.email_outbox where artifact_id = :'art'), 0, 'nothing was queued');

select * from finish();
rollback;
