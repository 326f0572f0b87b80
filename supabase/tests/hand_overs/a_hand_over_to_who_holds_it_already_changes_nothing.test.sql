-- Handing work to the person who holds it already is nothing to do, answered as done (migration
-- 20261216330000, docs/escalation-loop.md "Who may do what"): an ingest (or anyone) made Sam the
-- customer's CSM, so its open workflows and tasks followed; a manager who then hands the
-- customer, a workflow or a task to Sam is answered 200 with what holds, and nothing is
-- written: no history entry, no audit entry, no notice, a task's status and reason as they
-- were. Before, the task was 409 "already assigned to that person" and the customer and the
-- workflow 22023. A bulk reassign still lists such workflows apart (already_theirs).
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as wf \gset
select public.create_task('Renewal lunch', :'cust', due_date => '2031-01-20T17:00:00Z') ->> 'id' as own_task \gset
select public.act_on_task(:'own_task', 'start') is not null as started \gset
select tests.clear_authentication();

-- The CRM says Sam (csm2) is now the CSM: what the ingest writes.
update app.customers set assigned_to = :'csm2' where id = :'cust';
select is((select assigned_to from app.workflow_tasks where id = :'own_task'), :'csm2'::uuid, 'the customer''s task followed');
delete from app.notifications;
select (select metadata -> 'history' from app.workflow_executions where id = :'wf') as history_before,
       (select count(*) from app.admin_audit_log) as audits_before \gset

select tests.authenticate_as('e_manager');
select lives_ok(format($$select public.act_on_task(%L, 'reassign', %L)$$, :'own_task',
    jsonb_build_object('assignee_id', :'csm2', 'reason', 'Sam is the CSM now')),
  'a task handed to who holds it is answered as done, not 409');
select is(public.act_on_task(:'own_task', 'reassign', jsonb_build_object('assignee_id', :'csm2', 'reason', 'again')) ->> 'assigned_to',
          :'csm2', 'with the task as it is');
select lives_ok(format($$select public.reassign_customer(%L, %L, 'Sam is the CSM now')$$, :'cust', :'csm2'),
  'the customer handed to its CSM is answered as done, not 22023');
select is(public.reassign_customer(:'cust', :'csm2', 'again') - 'assignee_name',
          jsonb_build_object('customer_id', :'cust', 'assignee_id', :'csm2', 'previous_assignee_id', :'csm2',
                             'handed_over', jsonb_build_object('customers', 0, 'workflows', 0, 'tasks', 0)),
          'with nothing handed over');
select lives_ok(format($$select public.reassign_workflow(%L, %L, 'Sam is the CSM now')$$, :'wf', :'csm2'),
  'the workflow handed to its assignee is answered as done, not 22023');
select is(public.reassign_workflow(:'wf', :'csm2', 'again') ->> 'assignee_id', :'csm2', 'with the workflow as it is');
select is((public.reassign_workflows(jsonb_build_array(:'wf'), :'csm2', 'in bulk') -> 'already_theirs'), jsonb_build_array(:'wf'),
          'a bulk reassign still names it apart');
select tests.clear_authentication();

select is((select status || ' ' || coalesce(reassign_reason, '-') from app.workflow_tasks where id = :'own_task'), 'in_progress -',
          'the task keeps its status and has no reassign reason');
select is((select metadata -> 'history' from app.workflow_executions where id = :'wf'), :'history_before'::jsonb,
          'the workflow''s history has no new entry');
select is((select count(*) from app.admin_audit_log), :'audits_before'::bigint, 'no audit entry');
select is((select count(*)::int from app.notifications), 0, 'nobody is told');

select * from finish();
rollback;
