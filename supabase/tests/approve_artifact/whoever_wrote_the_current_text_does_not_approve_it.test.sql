-- approve_artifact: four eyes on the current text. Whoever last changed a draft's title or
-- content may not approve it (where self-approval is not allowed), nor may its creator when
-- nobody changed it; a metadata-only change makes nobody an author. get_workflow_execution
-- names the author of the current text as written_by, so the screens ask the same question.
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_approved_email_draft(:'org', :'csm', :'manager', :'today') \gset
update app.organisation_settings set require_email_approval = true, allow_self_approval = false where org_id = :'org';

-- The manager drafts on the CSM's workflow.
select tests.authenticate_as('e_manager');
select (public.create_artifact(:'eid', 'email_draft', 'For the CFO',
          '{"to": ["cfo@contoso.example"], "subject": "Renewal", "body": "Hello from Maria"}'::jsonb) ->> 'id') as drafted \gset

-- The CSM rewrites it: the current text is the CSM's.
select tests.authenticate_as('e_csm');
select public.update_artifact(:'drafted', '{"content": {"to": ["ceo@competitor.example"], "subject": "Anything", "body": "Text nobody else read"}}', 1);
select throws_ok(format('select public.approve_artifact(%L)', :'drafted'), '42501', 'You may not approve a draft whose current text you wrote',
  'whoever rewrote a colleague''s draft may not approve it');
select is((select a ->> 'written_by' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'id' = :'drafted'),
  :'csm'::text, 'the workflow names the CSM as the author of the current text');
select is((select approved_by from app.workflow_task_artifacts where id = :'drafted'), null, 'the refused approval changed nothing');

-- The manager, who did not write the current text, may approve it.
select tests.authenticate_as('e_manager');
select lives_ok(format('select public.approve_artifact(%L)', :'drafted'), 'the creator approves a text a colleague wrote');

-- A second rewrite by the manager withdraws the approval and makes the manager its author.
select public.update_artifact(:'drafted', '{"title": "For the CFO, again"}', 2);
select throws_ok(format('select public.approve_artifact(%L)', :'drafted'), '42501', null, 'the manager now wrote the current text');
select tests.authenticate_as('e_csm');
select lives_ok(format('select public.approve_artifact(%L)', :'drafted'), 'and the CSM may approve the manager''s text');

-- Metadata only: the author stays who wrote the text.
select tests.authenticate_as('e_manager');
select (public.create_artifact(:'eid', 'email_draft', 'Check-in',
          '{"to": ["cfo@contoso.example"], "subject": "Check-in", "body": "Hi"}'::jsonb) ->> 'id') as second \gset
select tests.authenticate_as('e_csm');
select public.update_artifact(:'second', '{"metadata": {"note": "looks fine"}}', 1);
select is((select a ->> 'written_by' from jsonb_array_elements(public.get_workflow_execution(:'eid') -> 'artifacts') a where a ->> 'id' = :'second'),
  :'manager'::text, 'a metadata change makes nobody an author');
select lives_ok(format('select public.approve_artifact(%L)', :'second'), 'so the CSM may approve it');
-- Putting someone's words back does not make them yours.
select tests.authenticate_as('e_csm');
select (public.create_artifact(:'eid', 'email_draft', 'Round trip',
          '{"to": ["cfo@contoso.example"], "subject": "Round trip", "body": "Sam text"}'::jsonb) ->> 'id') as round_trip \gset
select tests.authenticate_as('e_manager');
select public.update_artifact(:'round_trip', '{"content": {"to": ["cfo@contoso.example"], "subject": "Round trip", "body": "Maria text"}}', 1);
select public.update_artifact(:'round_trip', '{"content": {"to": ["cfo@contoso.example"], "subject": "Round trip", "body": "Sam text"}}', 2);
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.approve_artifact(%L)', :'round_trip'), '42501', null,
  'the CSM wrote these exact words first, whoever put them back');
select tests.authenticate_as('e_manager');
select lives_ok(format('select public.approve_artifact(%L)', :'round_trip'), 'the manager, who only restored them, may approve them');
select tests.clear_authentication();
select * from finish();
rollback;
