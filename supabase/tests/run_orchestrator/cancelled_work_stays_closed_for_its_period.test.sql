-- Work cancelled by a person stays closed for its period, as work done does: a renewal stage's
-- workflow a CSM cancelled with a reason, or a risk assessment whose escalation a manager
-- closed, is not opened again by the orchestrator's next run for the same stage of the same
-- renewal, or the same month (docs/workflow-engine.md, the orchestrator's period keys). The
-- next stage and the next month still open their own.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, risk_score, assigned_to)
values (:'org', 'Contoso', 40000, 55, :'today'::date + 45, 70, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org', :'today') is not null as ran \gset
select e.id as renewal from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'finalize' \gset
select e.id as risk from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'risk-assessment' \gset

select tests.authenticate_as('e_csm');
select public.cancel_workflow(:'renewal', 'Signed early through procurement; nothing left to finalize') is not null as cancelled \gset
select public.execute_action('escalate', :'risk', '{"reason": "They are moving to a competitor"}') is not null as esc \gset
select tests.authenticate_as('e_manager');
select public.resolve_escalation(:'risk', 'close', 'Churn confirmed by their CEO') is not null as closed \gset
select tests.clear_authentication();

select app.run_orchestrator_for_org(:'org', :'today') as again \gset
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.key = 'finalize'), 1, 'the cancelled Finalize renewal is not opened again');
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.key = 'risk-assessment'), 1,
          'nor is the risk assessment the manager closed, this month');
select is((:'again'::jsonb ->> 'created')::int, 0, 'the run opens nothing');
select is(app.run_orchestrator_for_org(:'org', :'today', full_run => true) ->> 'created', '0', 'nor does a full run');

-- The renewal moves on: its next stage opens its own workflow.
select app.run_orchestrator_for_org(:'org', :'today'::date + 20) is not null as later \gset
select is((select e.status from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.key = 'signature'), 'queued', 'the Signature stage opens when its time comes');

-- Next month, the still-high risk score opens the month's assessment.
select app.run_orchestrator_for_org(:'org', (date_trunc('month', :'today'::date) + interval '1 month')::date + 1) is not null as next_month \gset
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.key = 'risk-assessment' and e.status = 'queued'), 1,
          'next month, a new risk assessment opens');
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.key = 'risk-assessment' and e.status = 'cancelled'), 1,
          'beside the one closed last month');

select * from finish();
rollback;
