-- A draft handed to the outbox (queued or sent) keeps its title and content: editing it is
-- PT409 on every path, so no card shows "Sent" above text that never went out; its
-- metadata may still change, and a failed send leaves it editable (migration 20261205210000).
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
select tests.authenticate_as('e_csm');
select public.execute_action('send_email', :'eid', jsonb_build_object('artifact_id', :'art')) as first \gset
select throws_ok(format('select public.update_artifact(%L, %L, %s)', :'art', '{"content": {"body": "changed while queued"}}',
                        (select version from app.workflow_task_artifacts where id = :'art')),
  'PT409', 'This email was sent (or is on its way) and is kept as it went out', 'while it waits in the outbox it cannot change');
-- delivered, as the outbox drain does
select tests.authenticate_as_service_role();
select public.claim_outbox_message((:'first'::jsonb #>> '{result,outbox_id}')::uuid) #>> '{outbox,lease_token}' as token \gset
select public.complete_outbox_message((:'first'::jsonb #>> '{result,outbox_id}')::uuid, :'token', 'sent') is not null as done \gset
select tests.authenticate_as('e_csm');
select ok((select sent_at is not null from app.workflow_task_artifacts where id = :'art'), 'the draft was sent');
select throws_ok(format('select public.update_artifact(%L, %L, %s)', :'art', '{"content": {"body": "P.S. edited after sending"}}',
                        (select version from app.workflow_task_artifacts where id = :'art')),
  'PT409', 'This email was sent (or is on its way) and is kept as it went out', 'its content cannot change');
select throws_ok(format('select public.update_artifact(%L, %L, %s)', :'art', '{"title": "Another subject"}',
                        (select version from app.workflow_task_artifacts where id = :'art')),
  'PT409', 'This email was sent (or is on its way) and is kept as it went out', 'nor its title');
select lives_ok(format('select public.update_artifact(%L, %L, %s)', :'art', '{"metadata": {"note": "answered by phone"}}',
                       (select version from app.workflow_task_artifacts where id = :'art')),
  'its metadata can');
-- A draft whose send failed is editable again.
select tests.clear_authentication();
insert into app.workflow_task_artifacts (org_id, execution_id, artifact_type, title, content, created_by)
values (:'org', :'eid', 'email_draft', 'Bounced', '{"body": "first"}', :'csm') returning id as bounced \gset
insert into app.email_outbox (org_id, execution_id, artifact_id, requested_by, to_addresses, subject, body_text, status, last_error)
values (:'org', :'eid', :'bounced', :'csm', array['a@example.com'], 'Bounced', 'first', 'failed', 'mailbox full');
select lives_ok(format('update app.workflow_task_artifacts set content = %L where id = %L', '{"body": "second"}', :'bounced'),
  'a draft whose send failed can be edited again');
select throws_ok(format('update app.workflow_task_artifacts set content = %L where id = %L', '{"body": "x"}', :'art'),
  'PT409', 'This email was sent (or is on its way) and is kept as it went out', 'and no other path changes it either');

select * from finish();
rollback;
