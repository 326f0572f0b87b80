-- An approval is of the version the approver read: a draft whose recipients changed since
-- is not approved unread (migration 20261214400000).
begin;
select plan(9);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table a as select (public.create_artifact(tests.row_id('workflow_executions', 'mine'), 'email_draft', 'Renewal',
  '{"to": ["champion@customer.example"], "subject": "Renewal", "body": "v1"}') ->> 'id')::uuid as id;
grant select on a to authenticated;
-- The manager reads version 1; meanwhile its author sends it elsewhere (version 2).
select public.update_artifact((select id from a), '{"content": {"to": ["pay@look-alike.example"], "subject": "Renewal", "body": "v1"}}', 1);

select tests.authenticate_as('manager_a');
select throws_ok(format('select public.approve_artifact(%L, true, 1)', (select id from a)), 'PT409',
  'This draft changed since you read it: it is version 2 now, you read version 1',
  'approving the version read, which has changed since, is refused');
select is((select approved_by from app.workflow_task_artifacts where id = (select id from a)), null, 'and nothing is approved');
select throws_ok(format('select public.approve_artifact(%L, true, 0)', (select id from a)), '22023', null, 'a version below 1 is no version read');

create temp table approved as select public.approve_artifact((select id from a), true, 2) as x;
select is((select x ->> 'approved' from approved), 'true', 'the version read, as it is, is approved');
select is((select x #>> '{content,to,0}' from approved), 'pay@look-alike.example', 'with the recipients read');

-- An edit after the approval withdraws it; approving the version approved before is refused.
select tests.authenticate_as('csm_a');
select public.update_artifact((select id from a), '{"content": {"to": ["someone@else.example"], "subject": "Renewal", "body": "v1"}}', 2);
select tests.authenticate_as('manager_a');
select is((select approved_by from app.workflow_task_artifacts where id = (select id from a)), null, 'an edit after the approval withdraws it');
select throws_ok(format('select public.approve_artifact(%L, true, 2)', (select id from a)), 'PT409', null,
  'and the approval of the version before does not carry over to the edit');

-- Withdrawing takes no version: it only ever stops a send.
select public.approve_artifact((select id from a), true, 3);
select is((public.approve_artifact((select id from a), false, 1)) ->> 'approved', 'false', 'an approval is withdrawn whatever version was read');
-- Without a version, as before (a caller that read nothing first).
select is((public.approve_artifact((select id from a))) ->> 'approved', 'true', 'without base_version the call approves as before');
select * from finish();
rollback;
