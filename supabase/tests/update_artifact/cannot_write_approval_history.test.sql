-- Approval history is written only by approve_artifact (and the withdrawals the database
-- makes itself): update_artifact cannot add, replace or erase metadata.approval_log, nor
-- set any other reserved key (22023 with a hint), whatever its case or padding.
begin;
select plan(9);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table a as select (public.create_artifact(tests.row_id('workflow_executions', 'mine'), 'email_draft', 'Draft', '{"body": "v1"}') ->> 'id')::uuid as id;
select (select id from a) as art \gset
select tests.authenticate_as('manager_a');
select public.approve_artifact(:'art');
select tests.authenticate_as('csm_a');

select throws_ok(format($$select public.update_artifact(%L, '{"metadata": {"approval_log": [{"approved": true, "by": "maria", "note": "50%% discount ok"}]}}', 1)$$, :'art'),
  '22023', 'changes.metadata.approval_log cannot be set', 'a forged approval entry is refused');
select throws_ok(format($$select public.update_artifact(%L, '{"metadata": {"approval_log": []}}', 1)$$, :'art'),
  '22023', null, 'erasing the approval history is refused');
select throws_ok(format($$select public.update_artifact(%L, '{"metadata": {"approval_log": null}}', 1)$$, :'art'),
  '22023', null, 'nulling it is refused');
select throws_ok(format($$select public.update_artifact(%L, '{"metadata": {"Approval_Log ": []}}', 1)$$, :'art'),
  '22023', null, 'a case or whitespace variant is refused too');
select throws_ok(format($$select public.update_artifact(%L, '{"content": {"body": "v2"}, "metadata": {"approved_by": "maria"}}', 1)$$, :'art'),
  '22023', null, 'every reserved key is refused, with a content change too');
select is((select (version, approved_by is not null)::text from app.workflow_task_artifacts where id = :'art'), '(1,t)',
  'nothing was written: still version 1, still approved');
select is((select jsonb_array_length(metadata -> 'approval_log') from app.workflow_task_artifacts where id = :'art'), 1,
  'the log holds only the real approval');

-- Other metadata keys still work, and the database still records a withdrawal itself.
select is(public.update_artifact(:'art', '{"metadata": {"tone": "warm"}}', 1) #>> '{metadata,tone}', 'warm', 'other keys can be set');
select is((public.update_artifact(:'art', '{"content": {"body": "v2"}}', 2) -> 'metadata' -> 'approval_log') -> -1 ->> 'reason',
  'content changed', 'a content change still logs the withdrawal');

select * from finish();
rollback;
