-- Nobody hands work to a person who has been deactivated: they can no longer sign in or see
-- it, so a workflow or task given to them would sit unseen. Every path a person uses to
-- assign work (reassign_workflow, create_task, act_on_task reassign) answers 22023 and
-- changes nothing; work can still go to the active colleagues.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select (public.create_task('Prepare the quote', :'cust', :'eid') ->> 'id') as task \gset
select tests.clear_authentication();
update app.profiles set deactivated_at = now() where id = :'csm2';

select tests.authenticate_as('e_manager');
select throws_ok(format('select public.reassign_workflow(%L, %L, %L)', :'eid', :'csm2', 'Sam is away'),
                 '22023', null, 'a workflow is not reassigned to a deactivated csm');
select throws_ok(format($$ select public.act_on_task(%L, 'reassign', '{"assignee_id": "%s", "reason": "cover"}') $$, :'task', :'csm2'),
                 '22023', null, 'nor a task');
select throws_ok(format($$ select public.create_task('Call them', %L, %L, null, null, %L) $$, :'cust', :'eid', :'csm2'),
                 '22023', null, 'and no new task is created for them');
select tests.clear_authentication();
select is((select assigned_to from app.workflow_executions where id = :'eid'), :'csm'::uuid, 'the workflow stays with its csm');
select is((select assigned_to from app.workflow_tasks where id = :'task'::uuid), :'csm'::uuid, 'the task too');
select is((select count(*)::int from app.workflow_tasks where assigned_to = :'csm2'), 0, 'the leaver holds no task');

-- Active colleagues still take work over.
select tests.authenticate_as('e_manager');
select is(public.reassign_workflow(:'eid', :'admin', 'Covering') ->> 'assignee_id', :'admin', 'an active person takes the workflow');
-- A reactivated person can be given work again.
select tests.clear_authentication();
update app.profiles set deactivated_at = null where id = :'csm2';
select tests.authenticate_as('e_manager');
select is(public.reassign_workflow(:'eid', :'csm2', 'Back from leave') ->> 'assignee_id', :'csm2', 'and so does a reactivated one');

select * from finish();
rollback;
