-- Rule 3: risk_score >= 60 opens one risk-assessment; 59 does not.
begin;
select plan(2);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, risk_score, assigned_to) values (:'org', 'Risky', 60, :'csm'), (:'org', 'Almost', 59, :'csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id join app.customers c on c.id = e.customer_id
            where c.name = 'Risky' and w.key = 'risk-assessment' and e.status = 'queued'), 1, 'score 60: one open risk assessment');
select is((select count(*)::int from app.workflow_executions e join app.customers c on c.id = e.customer_id where c.name = 'Almost'), 0, 'score 59: none');

select * from finish();
rollback;
