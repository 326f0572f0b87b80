-- A workflow's open tasks follow it to its new assignee whatever moved it (docs/escalation-loop.md
-- "Who may do what"): a customer handed to another CSM, a manager's reassign, a reassign decision.
-- Each moved task tells its new assignee, as act_on_task reassign does (task_reassigned). Tasks
-- done or given to someone else stay where they are. Before (until
-- migration 20261208602000) a customer handed to another CSM took its open workflows along and
-- left their open tasks with the previous CSM, and no move of a workflow told of its tasks.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as eid \gset
select public.start_workflow(:'eid') is not null as s \gset
select public.create_task('Call the CFO', :'cust', execution_id => :'eid', due_date => (now() + interval '2 days')::text) ->> 'id' as open_task \gset
select public.create_task('Send the deck', :'cust', execution_id => :'eid', due_date => (now() + interval '2 days')::text) ->> 'id' as done_task \gset
select public.act_on_task(:'done_task', 'complete', '{}') is not null as d \gset
select public.create_task('Ask Sasha', :'cust', execution_id => :'eid', due_date => (now() + interval '2 days')::text,
                          assigned_to => :'manager') ->> 'id' as others_task \gset
select public.create_task('Birthday card', :'cust', due_date => (now() + interval '2 days')::text) ->> 'id' as customer_task \gset

-- The customer is handed to the other CSM (an admin's edit of the customer).
select tests.authenticate_as('e_admin');
update app.customers set assigned_to = :'csm2' where id = :'cust';
select tests.clear_authentication();
select is((select assigned_to from app.workflow_executions where id = :'eid'), :'csm2'::uuid, 'the workflow follows the customer');
select is((select assigned_to from app.workflow_tasks where id = :'open_task'), :'csm2'::uuid, 'its open task follows the workflow');
select is((select assigned_to from app.workflow_tasks where id = :'done_task'), :'csm'::uuid, 'a done task stays with who did it');
select is((select assigned_to from app.workflow_tasks where id = :'others_task'), :'manager'::uuid, 'a task given to someone else stays theirs');
-- (the customer's own task follows the customer since 20261211301000: reassign_customer/the_customers_own_open_tasks_follow_its_new_csm)
select is((select assigned_to from app.workflow_tasks where id = :'customer_task'), :'csm2'::uuid, 'a task of the customer alone follows the customer');
select is((select title || ' | ' || body from app.notifications where user_id = :'csm2' and notification_type = 'task_reassigned'
            and data ->> 'task_id' = :'open_task'),
  'Task handed to you: Call the CFO | It came with its workflow, Risk Intervention for Fabrikam.',
  'the new CSM is told of the task, as a reassigned task tells');

-- A manager reassigns the workflow back: the task follows, told with the reason.
select tests.authenticate_as('e_manager');
select public.reassign_workflow(:'eid', :'csm', 'Casey is on leave') is not null as r \gset
select tests.clear_authentication();
select is((select assigned_to from app.workflow_tasks where id = :'open_task'), :'csm'::uuid, 'reassigned: the open task follows');
select is((select body from app.notifications where user_id = :'csm' and notification_type = 'task_reassigned'
            and data ->> 'task_id' = :'open_task'), 'Casey is on leave', 'its notice gives the reason');

-- Escalated, then given to the other CSM by the decision: the task follows, told with the note.
select tests.authenticate_as('e_csm');
select public.execute_action('escalate', :'eid', '{"reason": "Need help"}') is not null as esc \gset
select tests.authenticate_as('e_manager');
select public.resolve_escalation(:'eid', 'reassign', 'Casey knows their CFO', :'csm2') is not null as dec \gset
select tests.clear_authentication();
select is((select assigned_to from app.workflow_tasks where id = :'open_task'), :'csm2'::uuid, 'a reassign decision: the open task follows');
select is((select count(*)::int from app.notifications where user_id = :'csm2' and notification_type = 'task_reassigned'
            and body = 'Casey knows their CFO'), 1, 'told once, with the note');

-- A manager taking the workflow herself is not told of her own action.
select tests.authenticate_as('e_manager');
select public.reassign_workflow(:'eid', :'manager', 'I take it') is not null as r2 \gset
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'task_reassigned'), 0,
  'nobody is told of a task they took themselves');

select * from finish();
rollback;
