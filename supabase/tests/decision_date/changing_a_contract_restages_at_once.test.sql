-- Changing, adding or removing a contract re-stages the customer in the same statement,
-- and its open executions' lane, priority and decision date copy follow; the orchestrator
-- opens the renewal of the decision-date stage; the queue shows both dates.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 0, 55, :'today'::date + 80, :'csm') returning id as cust \gset
insert into app.contracts (org_id, customer_id, status, start_date, end_date, auto_renew, notice_period_days)
values (:'org', :'cust', 'active', :'today'::date - 285, :'today'::date + 79, false, 70) returning id as k \gset
select is((select renewal_stage from app.customers where id = :'cust'), 'Negotiate', 'without auto_renew: 80 days is Negotiate');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select is((select w.key from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and e.status = 'queued'), 'negotiate', 'the orchestrator opened the Negotiate renewal');

update app.contracts set auto_renew = true where id = :'k';
select is((select decision_date from app.customers where id = :'cust'), :'today'::date + 10, 'auto_renew on: decision 10 days away');
select is((select renewal_stage from app.customers where id = :'cust'), 'Critical', 're-staged at once: Critical');
select is((select queue_lane::int from app.workflow_executions where customer_id = :'cust' and status = 'queued'), 1,
          'its open renewal moved to lane now at once');
select is((select customer_decision_date from app.workflow_executions where customer_id = :'cust' and status = 'queued'),
          :'today'::date + 10, 'the execution''s decision date copy follows');
select app.run_orchestrator_for_org(:'org') is not null as ran2 \gset
select is((select w.key from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and e.status = 'queued'), 'critical', 'the orchestrator opens the Critical renewal (decision date)');

select tests.authenticate_as('e_csm');
select public.get_workflow_queue(10)::jsonb -> 'items' -> 0 -> 'customer' as card \gset
select is((:'card'::jsonb ->> 'decision_date')::date, :'today'::date + 10, 'the queue shows the decision date');
select is((:'card'::jsonb ->> 'days_until_decision')::int, 10, '... and the days until it');
select is((:'card'::jsonb ->> 'days_until_renewal')::int, 80, '... beside the renewal date');
select tests.clear_authentication();

delete from app.contracts where id = :'k';
select is((select renewal_stage from app.customers where id = :'cust'), 'Negotiate', 'contract removed: back to the renewal date');

select * from finish();
rollback;
