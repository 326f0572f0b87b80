-- Completing the last step completes the workflow: completed_with_pending_tasks while a task is open.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
insert into app.workflow_tasks (org_id, customer_id, execution_id, title, assigned_to) values (:'org', :'cust', :'eid', 'Open task', :'csm');
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select set_config('test.eid', :'eid', true) is not null as set_eid \gset
do $$
declare
  k text;
begin
  for k in select s.step_key from app.workflow_step_executions s
            where s.execution_id = current_setting('test.eid')::uuid order by s.step_index loop
    perform public.complete_step(current_setting('test.eid')::uuid, k);
  end loop;
end;
$$;
select tests.clear_authentication();
select is((select status from app.workflow_executions where id = :'eid'), 'completed_with_pending_tasks', 'a pending task: completed_with_pending_tasks');
select is((select completed_steps from app.workflow_executions where id = :'eid'), (select total_steps from app.workflow_executions where id = :'eid'), 'progress 100 %');
select ok((select completed_at is not null from app.workflow_executions where id = :'eid'), 'completed_at set');

select * from finish();
rollback;
