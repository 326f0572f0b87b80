begin;
select plan(5);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table a as select (public.create_artifact(tests.row_id('workflow_executions', 'mine'), 'email_draft', 'Draft', '{"body": "v1"}') ->> 'id')::uuid as id;
-- A colleague approves (the author may not approve their own draft by default).
select tests.authenticate_as('manager_a');
select public.approve_artifact((select id from a));
select tests.authenticate_as('csm_a');
create temp table meta_only as select public.update_artifact((select id from a), '{"metadata": {"tone": "warm"}}', 1) as x;
create temp table edited as select public.update_artifact((select id from a), '{"content": {"body": "v2"}}', 2) as x;

select is((select x ->> 'approved' from meta_only), 'true', 'a metadata-only change keeps the approval');
select is((select x ->> 'approved' from edited), 'false', 'changing the content withdraws the approval');
select is((select x ->> 'approval_withdrawn' from edited), 'true', 'the answer says so');
select is((select (approved_by, approved_at)::text from app.workflow_task_artifacts where id = (select id from a)), '(,)', 'approver and time are cleared');
select is((select jsonb_array_length(metadata -> 'approval_log') from app.workflow_task_artifacts where id = (select id from a)), 2,
  'the approval and its withdrawal are both in the log');
select * from finish();
rollback;
