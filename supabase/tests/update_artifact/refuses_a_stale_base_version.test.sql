-- Two people edit the same draft: the second save, based on the version the first one
-- replaced, is a conflict, not a silent overwrite.
begin;
select plan(3);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table a as select (public.create_artifact(tests.row_id('workflow_executions', 'mine'), 'email_draft', 'Draft', '{"body": "v1"}') ->> 'id')::uuid as id;
grant select on a to authenticated;
select public.update_artifact((select id from a), '{"content": {"body": "first edit"}}', 1);

select tests.authenticate_as('manager_a');
select throws_ok(format($$select public.update_artifact(%L, '{"content": {"body": "second edit"}}', 1)$$, (select id from a)),
  'PT409', 'This artifact was changed by someone else: it is at version 2, your edit is based on version 1', 'a stale base version is a conflict');
select is((select content ->> 'body' from app.workflow_task_artifacts where id = (select id from a)), 'first edit', 'the first edit stands');
select is((public.update_artifact((select id from a), '{"content": {"body": "second edit"}}', 2) ->> 'version')::int, 3,
  'based on the current version the edit succeeds');
select * from finish();
rollback;
