-- A customer handed to another CSM takes its open work along, an escalated workflow too; its
-- open escalation follows it: the manager's inbox names the new assignee, who may withdraw
-- it as its assignee may (docs/escalation-loop.md "Who may do what"), and the previous CSM
-- no longer can. Before (until migration 20261208503000) the escalation kept the previous
-- CSM: the inbox named them, and the new assignee's Withdraw answered PT409 "its escalation
-- is not on record", so only a manager could end the hold.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as eid \gset
select public.start_workflow(:'eid') is not null as s \gset
select public.execute_action('escalate', :'eid', '{"reason": "They ask for 30% off"}') is not null as esc \gset

-- The customer is handed to the other CSM (an admin's edit, or an ingested csm_email).
select tests.clear_authentication();
update app.customers set assigned_to = :'csm2' where id = :'cust';
select is((select assigned_to from app.workflow_executions where id = :'eid'), :'csm2'::uuid, 'the escalated workflow follows the customer');

select tests.authenticate_as('e_manager');
select is((select (x -> 'assignee' ->> 'id')::uuid from jsonb_array_elements(public.list_escalations('open')) x
            where x ->> 'execution_id' = :'eid'), :'csm2'::uuid, 'the inbox names its new assignee');

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.withdraw_escalation(%L, %L)', :'eid', 'Solved it'), '42501', null,
  'the previous CSM can no longer withdraw it');

select tests.authenticate_as('e_csm2');
select is(public.withdraw_escalation(:'eid', 'I will take it from here') ->> 'status', 'in_progress',
  'its new assignee withdraws it: back to the status it had');
select tests.clear_authentication();
select is((select status from app.workflow_escalations where execution_id = :'eid'), 'withdrawn', 'the escalation is withdrawn');
select is((select count(*)::int from app.notifications where user_id = :'manager' and notification_type = 'escalation_resolved'
            and data ->> 'execution_id' = :'eid'), 1, 'and the manager is told');

select * from finish();
rollback;
