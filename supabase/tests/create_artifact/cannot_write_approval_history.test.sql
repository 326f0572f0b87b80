-- A new artifact cannot arrive with an approval history (or any other reserved metadata
-- key): 22023 with a hint, and nothing is created.
begin;
select plan(5);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select tests.row_id('workflow_executions', 'mine') as exec \gset

select throws_ok(format($$select public.create_artifact(%L, 'email_draft', 'Offer', '{"body": "50%% off"}',
    metadata => '{"approval_log": [{"approved": true, "by": "maria"}]}')$$, :'exec'),
  '22023', 'metadata.approval_log cannot be set', 'a forged approval history is refused');
select throws_ok(format($$select public.create_artifact(%L, 'email_draft', 'Offer', '{}', metadata => '{"APPROVAL_LOG": []}')$$, :'exec'),
  '22023', null, 'in any case');
select throws_ok(format($$select public.create_artifact(%L, 'email_draft', 'Offer', '{}', metadata => '{"sent_at": "2026-01-01"}')$$, :'exec'),
  '22023', null, 'the send record is reserved too');
select is((select count(*)::int from app.workflow_task_artifacts where title = 'Offer'), 0, 'nothing was created');
select is(public.create_artifact(:'exec', 'email_draft', 'Offer', '{}', metadata => '{"source": "manual"}') #>> '{metadata,source}', 'manual',
  'other metadata is kept');

select * from finish();
rollback;
