-- reassign_workflow: managers and admins give an open workflow (with its open tasks) to
-- another person with a reason; both are told. CSMs, viewers, other organisations may not;
-- an escalated workflow is decided with resolve_escalation instead.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.execute_action('create_task', :'eid', format('{"title": "Prepare the quote", "due_date": "%s"}', :'today'::date + 2)::jsonb) is not null as t \gset
select throws_ok(format('select public.reassign_workflow(%L, %L, %L)', :'eid', :'csm2', 'x'), '42501', null, 'a csm may not reassign');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.reassign_workflow(%L, %L, %L)', :'eid', :'csm2', 'x'), '42501', null, 'a viewer may not');
select tests.authenticate_as('o_manager');
select throws_ok(format('select public.reassign_workflow(%L, %L, %L)', :'eid', :'csm2', 'x'), 'PT404', null, 'another organisation: not found');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.reassign_workflow(%L, %L, %L)', :'eid', :'csm2', ''), '22023', null, 'a reason is required');
select throws_ok(format('select public.reassign_workflow(%L, %L, %L)', :'eid', :'other_csm', 'x'), '22023', null, 'not to another organisation''s csm');
select throws_ok(format('select public.reassign_workflow(%L, %L, %L)', :'eid', :'viewer', 'x'), '22023', null, 'not to a viewer');
select is(public.reassign_workflow(:'eid', :'csm', 'x') ->> 'assignee_id', :'csm', 'to its assignee: nothing to do, answered as done (migration 20261216330000)');
select is(public.reassign_workflow(:'eid', :'csm2', 'Sam is overloaded this month') ->> 'assignee_id', :'csm2', 'reassigned');
select tests.clear_authentication();
select is((select assigned_to::text from app.workflow_tasks where execution_id = :'eid' and title = 'Prepare the quote'), :'csm2', 'its open tasks follow');
select is((select count(*)::int from app.notifications where user_id = :'csm2' and notification_type = 'workflow_assigned'
            and data ->> 'execution_id' = :'eid' and body = 'Sam is overloaded this month'), 1, 'the new assignee is told why');
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'workflow_assigned'
            and data ->> 'execution_id' = :'eid' and data ->> 'assignee_id' = :'csm2'), 1, 'the previous assignee is told');

select tests.authenticate_as('e_csm2');
select public.execute_action('escalate', :'eid', '{"reason": "Need pricing help"}') is not null as esc \gset
select tests.authenticate_as('e_admin');
-- (since 20261211302000 an escalated workflow changes hands on hold, as in a hand-over:
-- escalation_hold/an_escalated_workflow_changes_hands_with_its_escalation)
select is(public.reassign_workflow(:'eid', :'csm', 'x') ->> 'status', 'escalated', 'an escalated workflow is reassigned and stays on hold');

select * from finish();
rollback;
