-- reassign: another CSM takes the workflow over with its open tasks, in the status it had;
-- the previous assignee hears the decision, the new one that it is theirs.
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
select public.start_workflow(:'eid') is not null as s \gset
select public.execute_action('create_task', :'eid', format('{"title": "Send the terms", "due_date": "%s"}', :'today'::date + 2)::jsonb) is not null as t \gset
select public.execute_action('escalate', :'eid', '{"reason": "I am out for two weeks"}') is not null as esc \gset
select tests.authenticate_as('e_manager');
select public.resolve_escalation(:'eid', 'reassign', 'Casey covers while you are away', :'csm2') as r \gset
select is(:'r'::jsonb ->> 'assignee_id', :'csm2', 'the new assignee');
select is(:'r'::jsonb ->> 'status', 'in_progress', 'in the status it had');
select tests.clear_authentication();
select is((select reassigned_to::text from app.workflow_escalations where execution_id = :'eid'), :'csm2', 'the escalation names who took over');
select is((select assigned_to::text from app.workflow_tasks where execution_id = :'eid' and title = 'Send the terms'), :'csm2', 'open tasks follow');
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'escalation_resolved' and data ->> 'decision' = 'reassign'),
  1, 'the previous assignee is told');
select is((select count(*)::int from app.notifications where user_id = :'csm2' and notification_type = 'workflow_assigned' and data ->> 'execution_id' = :'eid'),
  1, 'the new assignee is told');
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.complete_step(%L, (select current_step_key from app.workflow_executions where id = %L))', :'eid', :'eid'),
  '42501', null, 'the previous csm no longer works on it');
select tests.authenticate_as('e_csm2');
select lives_ok(format('select public.complete_step(%L, (select current_step_key from app.workflow_executions where id = %L))', :'eid', :'eid'),
  'the new csm continues');

select * from finish();
rollback;
